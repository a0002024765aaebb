import { createHash } from 'node:crypto';
import type { CheckResult } from '../rules/run.js';

const INFORMATION_URI = 'https://github.com/archfit/archfit';

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, rule metadata (why as description, fix as
 * help), and a partial fingerprint per result that ignores line numbers, so moving code does
 * not reopen alerts.
 */
export function formatSarif(result: CheckResult, version = '0.1.0'): string {
  const ids = [...new Set([...result.rules.filter((r) => r.enabled).map((r) => r.id), ...result.violations.map((v) => v.rule)])];
  const meta = new Map(result.rules.map((r) => [r.id, r]));
  const rules = ids.map((id) => {
    const r = meta.get(id);
    const sample = result.violations.find((v) => v.rule === id);
    const why = r?.why ?? sample?.why ?? id;
    const fix = r?.fix ?? sample?.fix ?? '';
    return {
      id,
      name: id,
      shortDescription: { text: why },
      fullDescription: { text: why },
      help: { text: fix, markdown: `**Why:** ${why}\n\n**Fix:** ${fix}` },
      helpUri: `${INFORMATION_URI}/blob/main/docs/fitness.md#${id}`,
      defaultConfiguration: { level: (r?.severity ?? sample?.severity) === 'warn' ? 'warning' : 'error' },
    };
  });
  const index = new Map(ids.map((id, i) => [id, i]));
  const results = result.violations.map((v) => ({
    ruleId: v.rule,
    ruleIndex: index.get(v.rule),
    level: v.severity === 'error' ? 'error' : 'warning',
    message: { text: `${v.message}. Fix: ${v.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: v.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: v.line, startColumn: v.column },
        },
      },
    ],
    partialFingerprints: {
      'archfitIdentity/v1': createHash('sha256').update(`${v.rule}\u0000${v.file}\u0000${v.message}`).digest('hex'),
    },
  }));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'archfit', version, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${result.root.endsWith('/') ? result.root : `${result.root}/`}` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

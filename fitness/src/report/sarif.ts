import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { keyString, violationKeys } from '../rules/identity.js';
import type { CheckResult } from '../rules/run.js';

const INFORMATION_URI = 'https://github.com/archfit/archfit';

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, rule metadata (why as description, fix as
 * help), and a partial fingerprint per result from the violation's identity (rule, file,
 * from, to, occurrence: see rules/identity.ts), the same one the baseline uses. It ignores line
 * numbers and message text, so moving code or editing the config does not reopen alerts.
 */
export function formatSarif(result: CheckResult, version: string): string {
  // Occurrences count over every violation, baselined ones included, as the baseline does.
  const all = [...result.violations, ...result.baselined];
  const keys = violationKeys(all);
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
  const results = result.violations.map((v, i) => ({
    ruleId: v.rule,
    ruleIndex: index.get(v.rule),
    level: v.severity === 'error' ? 'error' : 'warning',
    message: { text: `${v.message}. Fix: ${v.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUriPath(v.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: v.line, startColumn: v.column },
        },
      },
    ],
    partialFingerprints: {
      'archfitIdentity/v2': createHash('sha256').update(keyString(keys[i]!)).digest('hex'),
    },
  }));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'archfit', version, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(result.root.endsWith('/') ? result.root : `${result.root}/`).href } },
        results,
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * A repo-relative path as a relative URI reference (RFC 3986): each segment percent-encoded,
 * so spaces, `%`, `#` and `?` in file names stay part of the path.
 */
export function encodeUriPath(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

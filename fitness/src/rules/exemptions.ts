import picomatch from 'picomatch';
import type { ResolvedConfig } from '../config/types.js';
import type { ImportGraph } from '../graph/types.js';
import type { Violation } from './types.js';

export interface Exempted {
  violation: Violation;
  reason: string;
  via: 'inline' | 'config';
}

/** Findings about exemptions themselves; not registered rules, always on. */
export const EXEMPTION_RULES = {
  reason: {
    id: 'exemption-needs-reason',
    why: 'An exemption without a reason cannot be reviewed or ever removed with confidence.',
    fix: 'Write the reason after a colon: `// archfit-ignore <rule-id>: <why this import is acceptable>`.',
  },
  unknown: {
    id: 'exemption-unknown-rule',
    why: 'An exemption naming a rule that does not exist silences nothing and misleads readers.',
    fix: 'Use one of the rule ids `archfit check` reports, or delete the comment.',
  },
  unused: {
    id: 'exemption-unused',
    why: 'An exemption that matches no violation is stale: the code was fixed or moved.',
    fix: 'Delete the `archfit-ignore` comment (or the config exemption).',
  },
} as const;

/**
 * Splits violations into active and exempted. Inline `// archfit-ignore <rule>: <reason>`
 * exempts violations of that rule on the next code line; config exemptions match by file glob
 * (and optionally target). Returns findings for exemptions without a reason, with an unknown
 * rule, and (on full runs) inline exemptions that matched nothing.
 */
export function applyExemptions(
  violations: Violation[],
  graph: ImportGraph,
  config: ResolvedConfig,
  knownRules: Set<string>,
  reportUnused: boolean,
): { active: Violation[]; exempted: Exempted[]; findings: Violation[] } {
  const configMatchers = config.exemptions.map((e) => ({
    ...e,
    file: picomatch(e.file, { dot: true }),
    to: e.to ? picomatch(e.to, { dot: true }) : undefined,
  }));
  const used = new Set<string>();
  const active: Violation[] = [];
  const exempted: Exempted[] = [];
  for (const v of violations) {
    const inline = graph.ignores.get(v.file)?.find((i) => i.rule === v.rule && i.appliesTo === v.line && i.reason);
    if (inline) {
      used.add(`${v.file}:${inline.line}`);
      exempted.push({ violation: v, reason: inline.reason, via: 'inline' });
      continue;
    }
    const scoped = configMatchers.find((e) => e.rule === v.rule && e.file(v.file) && (!e.to || (v.to !== undefined && e.to(v.to))));
    if (scoped) {
      exempted.push({ violation: v, reason: scoped.reason, via: 'config' });
      continue;
    }
    active.push(v);
  }

  const findings: Violation[] = [];
  for (const [file, ignores] of graph.ignores) {
    for (const ignore of ignores) {
      const base = { severity: 'error' as const, file, line: ignore.line, column: 1 };
      if (!knownRules.has(ignore.rule)) {
        findings.push({ ...base, rule: EXEMPTION_RULES.unknown.id, message: `archfit-ignore names unknown rule "${ignore.rule}"`, why: EXEMPTION_RULES.unknown.why, fix: EXEMPTION_RULES.unknown.fix });
      } else if (!ignore.reason) {
        findings.push({ ...base, rule: EXEMPTION_RULES.reason.id, message: `archfit-ignore ${ignore.rule} has no reason`, why: EXEMPTION_RULES.reason.why, fix: EXEMPTION_RULES.reason.fix });
      } else if (reportUnused && !used.has(`${file}:${ignore.line}`)) {
        findings.push({ ...base, severity: 'warn', rule: EXEMPTION_RULES.unused.id, message: `archfit-ignore ${ignore.rule} exempts nothing on line ${ignore.appliesTo}`, why: EXEMPTION_RULES.unused.why, fix: EXEMPTION_RULES.unused.fix });
      }
    }
  }
  return { active, exempted, findings };
}

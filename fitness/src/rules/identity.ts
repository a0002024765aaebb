import type { Violation } from './types.js';

/**
 * What makes a violation "the same one" across runs, for the baseline and SARIF fingerprints:
 * the rule, the file, the source and target the rule names (module, layer, context, file or
 * package) and an occurrence index among violations sharing all of those, in line order.
 * Never the message: messages quote config lists and cycle paths that change for unrelated
 * reasons (a newly allowed dependency, a package added to `layers.packages`, a renamed file).
 */
export interface ViolationKey {
  rule: string;
  /** Empty for module-level findings, which no single file owns. */
  file: string;
  from: string;
  to: string;
  /** 0 for the first violation with this rule/file/from/to, 1 for the second, … */
  occurrence: number;
}

/**
 * Rules whose finding belongs to modules, not to the file it is printed at: a module cycle is
 * reported at one file of its chain, and renaming that file leaves the same cycle.
 */
const MODULE_LEVEL_RULES = new Set(['no-module-cycle']);

export function keyString(key: ViolationKey): string {
  return [key.rule, key.file, key.from, key.to, key.occurrence].join('\u0000');
}

/** The key of every violation, aligned with the input. Occurrences count in line/column order. */
export function violationKeys(violations: readonly Violation[]): ViolationKey[] {
  const base = violations.map((v) => ({
    rule: v.rule,
    file: MODULE_LEVEL_RULES.has(v.rule) ? '' : v.file,
    from: v.from ?? '',
    to: v.to ?? '',
  }));
  const order = violations.map((_, i) => i).sort((a, b) => violations[a]!.line - violations[b]!.line || violations[a]!.column - violations[b]!.column || a - b);
  const seen = new Map<string, number>();
  const keys: ViolationKey[] = new Array(violations.length);
  for (const i of order) {
    const b = base[i]!;
    const group = [b.rule, b.file, b.from, b.to].join('\u0000');
    const occurrence = seen.get(group) ?? 0;
    seen.set(group, occurrence + 1);
    keys[i] = { ...b, occurrence };
  }
  return keys;
}

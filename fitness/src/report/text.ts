import type { CheckResult } from '../rules/run.js';
import type { Violation } from '../rules/types.js';

/** Human report: violations grouped by rule, each with file:line:col, then why and how to fix. */
export function formatText(result: CheckResult): string {
  const lines: string[] = [];
  const groups = new Map<string, Violation[]>();
  for (const v of result.violations) {
    if (!groups.has(v.rule)) groups.set(v.rule, []);
    groups.get(v.rule)!.push(v);
  }
  for (const [rule, list] of groups) {
    const first = list[0]!;
    lines.push(`${first.severity === 'error' ? '✖' : '⚠'} ${rule} (${first.severity}): ${list.length} violation${list.length === 1 ? '' : 's'}`);
    for (const v of list) lines.push(`  ${v.file}:${v.line}:${v.column}  ${v.message}`);
    lines.push(`  why: ${first.why}`);
    lines.push(`  fix: ${first.fix}`, '');
  }
  if (result.staleBaseline.length > 0) {
    lines.push(`✖ baseline: ${result.staleBaseline.length} recorded violation(s) no longer occur; run \`archfit check --update-baseline\` and commit the smaller baseline`);
    for (const e of result.staleBaseline) lines.push(`  ${e.file}  [${e.rule}] ${e.message}`);
    lines.push('');
  }
  const errors = result.violations.filter((v) => v.severity === 'error').length;
  const warnings = result.violations.length - errors;
  const s = result.stats;
  const parts = [
    `${errors} error${errors === 1 ? '' : 's'}`,
    `${warnings} warning${warnings === 1 ? '' : 's'}`,
    `${result.baselined.length} known (baseline)`,
    `${result.exempted.length} exempted`,
  ];
  if (result.staleBaseline.length) parts.push(`${result.staleBaseline.length} stale baseline entries`);
  if (result.baselineWritten !== undefined) lines.push(`baseline written: ${result.baselineWritten} entries`);
  if (result.baselineMigrated !== undefined) {
    lines.push(`baseline migrated to stable identities (schemaVersion 2): ${result.baselineMigrated} entries rewritten; commit ${result.config.baseline}`);
  }
  const scope = result.changedFiles ? `${result.changedFiles.length} changed of ${s.files} files` : `${s.files} files`;
  lines.push(`archfit: ${parts.join(', ')} · ${scope}, ${s.edges} imports, ${s.parsed} parsed · ${s.totalMs} ms`);
  // Resolution counts in every report: a repository where half the imports did not resolve shows it.
  if (s.imports) lines.push(`imports resolved/unresolved: ${Object.entries(s.imports).map(([kind, c]) => `${kind} ${c.resolved}/${c.unresolved}`).join(', ')}`);
  for (const f of result.graph?.skipped ?? []) lines.push(`⚠ skipped ${f.file}: ${f.reason} (unreadable; not checked)`);
  return `${lines.join('\n')}\n`;
}

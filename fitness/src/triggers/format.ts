import type { TriggerResult } from './evaluate.js';

/** The JSON `archfit triggers --format json` prints: the agreed fields first, details after. */
export function triggersJson(results: readonly TriggerResult[], problems: readonly string[] = []) {
  return {
    triggers: results.map((r) => ({
      id: r.id,
      adr: r.adr,
      status: r.status,
      value: r.value,
      ...(r.bound ? { bound: r.bound } : {}),
      threshold: r.threshold,
      evidence: r.evidence,
      metric: r.metric,
      comparator: r.comparator,
      unit: r.unit,
      adrFile: r.adrFile,
      reason: r.reason,
      ...(r.answeredBy ? { answeredBy: r.answeredBy } : {}),
      ...(r.revisitNotes ? { revisitNotes: r.revisitNotes } : {}),
      ...(r.indicative ? { indicative: r.indicative } : {}),
    })),
    ...(problems.length ? { problems } : {}),
  };
}

/** A plain table: trigger, ADR, status, the measurement against its threshold, the evidence read. */
export function formatTriggerTable(results: readonly TriggerResult[]): string {
  if (results.length === 0) return 'No revisit triggers declared in the ADRs.\n';
  const rows = results.map((r) => [
    r.id,
    String(r.adr).padStart(4, '0'),
    r.status === 'fired' && r.answeredBy ? `fired (answered by ${String(r.answeredBy.adr).padStart(4, '0')})` : r.status,
    `${r.metric} ${r.bound === 'lower' ? '≥ ' : ''}${r.value ?? '?'} ${r.comparator} ${r.threshold} ${r.unit}`,
    r.evidence ?? '-',
  ]);
  const head = ['trigger', 'adr', 'status', 'fires when', 'evidence'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const notes = results.flatMap((r) => [
    ...(r.status !== 'armed' ? [`  ${r.id}: ${r.reason}${r.answeredBy ? ` (answered by ${r.answeredBy.adrFile})` : ''}`] : []),
    ...(r.indicative ?? []).map((i) => `  ${r.id}: indicative only, ${i.file}${i.value === null ? '' : ` reads ${i.value} ${r.unit}`} (${i.reasons.join('; ')})`),
  ]);
  return `${out.join('\n')}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}

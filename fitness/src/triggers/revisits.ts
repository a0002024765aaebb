import type { AdrRecord } from '../adr/parse.js';
import { revisitTarget, type RevisitRef } from '../adr/schema.js';
import type { DeclaredTrigger } from './declared.js';
import type { TriggerResult } from './evaluate.js';
import type { EvidenceRead } from './evidence-store.js';

export interface UnansweredTrigger {
  result: TriggerResult;
  declared: DeclaredTrigger;
}

/** Worse in the direction the trigger fires: above the threshold for `>`/`>=`, below it for `<`/`<=`. */
function worse(value: number, than: number, comparator: TriggerResult['comparator']): boolean {
  return comparator === '>' || comparator === '>=' ? value > than : value < than;
}

/**
 * Whether one record answers one firing. A revisit answers it only when it is accepted, is
 * numbered after the declaring record, names the trigger and cites the evidence that fired
 * it, that evidence is no newer than the revisit's date, and the firing now is not worse than
 * the value the revisit accepted (a later firing above it needs a new decision). Returns null
 * when it answers, else why not (or undefined when the record does not refer to the trigger).
 */
async function judge(record: AdrRecord, result: TriggerResult, d: DeclaredTrigger, read: (file: string) => Promise<EvidenceRead>): Promise<string | null | undefined> {
  const data = record.data as Record<string, unknown> | undefined;
  const refs = data?.revisits;
  if (!Array.isArray(refs) || record.number === undefined) return undefined;
  const mine = (refs as RevisitRef[]).filter((ref) => (typeof ref === 'number' || (typeof ref === 'object' && ref !== null)) && revisitTarget(ref) === d.adr);
  const named = mine.filter((ref): ref is Exclude<RevisitRef, number> => typeof ref === 'object' && ref.trigger === result.id);
  const label = record.file;
  if (named.length === 0) {
    return mine.length ? `${label} revisits ADR ${d.adr} without naming trigger ${result.id}, so it answers no firing of it` : undefined;
  }
  if (record.number <= d.adr) return `${label} is numbered before ADR ${d.adr}, so it cannot revisit it`;
  if (data?.status !== 'accepted') return `${label} revisits ${result.id} but its status is ${String(data?.status)}, not accepted`;
  const cited = named.find((ref) => ref.evidence !== undefined);
  if (!cited?.evidence) return `${label} names ${result.id} but cites no evidence file`;
  if (cited.evidence.startsWith('repository:')) {
    return cited.evidence === result.evidence ? null : `${label} cites ${cited.evidence}, but ${result.id} is measured by ${result.evidence}`;
  }
  const ev = await read(cited.evidence);
  if (!ev.ok) return `${label} cites ${cited.evidence}, which ${ev.reason}`;
  const accepted = ev.evidence.metrics[result.metric];
  if (accepted === undefined || !Number.isFinite(accepted)) return `${label} cites ${cited.evidence}, which has no ${result.metric}`;
  if (!((result.comparator === '>' && accepted > result.threshold) || (result.comparator === '>=' && accepted >= result.threshold) || (result.comparator === '<' && accepted < result.threshold) || (result.comparator === '<=' && accepted <= result.threshold))) {
    return `${label} cites ${cited.evidence}, where ${result.metric} ${accepted} did not fire the trigger`;
  }
  const date = String(data.date ?? '');
  if (ev.evidence.finishedAt.slice(0, 10) > date) return `${label} (dated ${date}) cites ${cited.evidence}, finished ${ev.evidence.finishedAt}, after the decision`;
  if (result.value !== null && result.evidence !== cited.evidence && worse(result.value, accepted, result.comparator)) {
    return `${result.evidence} fired at ${result.value} ${result.unit}, beyond the ${accepted} ${result.unit} that ${label} accepted: a new firing needs a new decision`;
  }
  return null;
}

/**
 * Marks every fired trigger that a record answers (`answeredBy`); the reasons other records
 * that refer to it do not answer it go into `revisitNotes`.
 */
export async function attachRevisits(results: TriggerResult[], declared: readonly DeclaredTrigger[], records: readonly AdrRecord[], read: (file: string) => Promise<EvidenceRead>): Promise<void> {
  for (const result of results) {
    if (result.status !== 'fired') continue;
    const d = declared.find((x) => x.trigger.id === result.id && x.adr === result.adr);
    if (!d) continue;
    const notes: string[] = [];
    for (const record of records) {
      const verdict = await judge(record, result, d, read);
      if (verdict === null) {
        result.answeredBy = { adr: record.number!, adrFile: record.file };
        break;
      }
      if (verdict !== undefined) notes.push(verdict);
    }
    if (!result.answeredBy && notes.length) result.revisitNotes = notes;
  }
}

/** Fired triggers that no record answers (see attachRevisits, which evaluateTriggers runs). */
export function unansweredFiredTriggers(results: readonly TriggerResult[], declared: readonly DeclaredTrigger[], _records?: readonly AdrRecord[]): UnansweredTrigger[] {
  const out: UnansweredTrigger[] = [];
  for (const result of results) {
    if (result.status !== 'fired' || result.answeredBy) continue;
    const d = declared.find((x) => x.trigger.id === result.id && x.adr === result.adr);
    if (d) out.push({ result, declared: d });
  }
  return out;
}

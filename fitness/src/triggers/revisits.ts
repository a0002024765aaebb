import type { AdrRecord } from '../adr/parse.js';
import { revisitTarget, type RevisitRef } from '../adr/schema.js';
import type { DeclaredTrigger } from './declared.js';
import type { TriggerResult } from './evaluate.js';

export interface UnansweredTrigger {
  result: TriggerResult;
  declared: DeclaredTrigger;
}

/**
 * Fired triggers that no later ADR revisits. A later record answers a trigger when its
 * `revisits` names the declaring ADR, either plainly (`revisits: [7]`, answering all of its
 * triggers) or with this trigger's id (`revisits: [{ adr: 7, trigger: sustained-dau }]`).
 */
export function unansweredFiredTriggers(results: readonly TriggerResult[], declared: readonly DeclaredTrigger[], records: readonly AdrRecord[]): UnansweredTrigger[] {
  const out: UnansweredTrigger[] = [];
  for (const result of results) {
    if (result.status !== 'fired') continue;
    const d = declared.find((x) => x.trigger.id === result.id && x.adr === result.adr);
    if (!d) continue;
    const answered = records.some((r) => {
      if (r.number === undefined || r.number <= d.adr) return false;
      const refs = (r.data as Record<string, unknown> | undefined)?.revisits;
      if (!Array.isArray(refs)) return false;
      return refs.some((ref: RevisitRef) => {
        if (typeof ref !== 'number' && (typeof ref !== 'object' || ref === null)) return false;
        if (revisitTarget(ref) !== d.adr) return false;
        return typeof ref === 'number' || ref.trigger === undefined || ref.trigger === result.id;
      });
    });
    if (!answered) out.push({ result, declared: d });
  }
  return out;
}

import { Value } from '@sinclair/typebox/value';
import type { AdrRecord } from '../adr/parse.js';
import { CriterionSchema } from '../adr/schema.js';
import { evaluateCriteria, type CriterionResult } from '../triggers/criteria.js';
import { isRecord } from './literal.js';

/** Evaluated criteria, plus one line per criterion that is malformed (adr lint names it). */
export interface CriteriaResults {
  results: CriterionResult[];
  malformed: Array<{ adr: number; kind: 'success' | 'rollback'; id: string; reason: string }>;
}

/**
 * The success and rollback criteria of extraction records, evaluated by the library against
 * the newest complete pilot run. Only well-formed criteria are evaluated; a malformed one is
 * shown as such instead of stopping the site.
 */
export async function readCriteria(root: string, resultsDir: string, records: readonly AdrRecord[]): Promise<CriteriaResults> {
  const malformed: CriteriaResults['malformed'] = [];
  const wellFormed: AdrRecord[] = [];
  for (const record of records) {
    if (record.number === undefined || !isRecord(record.data)) continue;
    const data: Record<string, unknown> = { ...record.data };
    let any = false;
    for (const kind of ['success', 'rollback'] as const) {
      const list = data[`${kind}-criteria`];
      if (!Array.isArray(list)) continue;
      data[`${kind}-criteria`] = list.filter((c: unknown) => {
        if (Value.Check(CriterionSchema, c)) return true;
        const id = isRecord(c) && typeof c.id === 'string' ? c.id : '?';
        const error = Value.Errors(CriterionSchema, c).First();
        malformed.push({ adr: record.number!, kind, id, reason: `malformed at ${error?.path || '/'}: ${error?.message ?? 'not a criterion'}` });
        return false;
      });
      any = true;
    }
    if (any) wellFormed.push({ ...record, data });
  }
  const results = wellFormed.length ? await evaluateCriteria(root, resultsDir, wellFormed) : [];
  return { results, malformed };
}

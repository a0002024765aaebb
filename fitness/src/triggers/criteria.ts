import type { AdrRecord } from '../adr/parse.js';
import type { Criterion } from '../adr/schema.js';
import { compare } from './evaluate.js';
import type { Evidence } from './evidence-schema.js';
import { listEvidenceFiles, readEvidence } from './evidence-store.js';

/**
 * Success and rollback criteria of an extraction, the other half of revisit triggers: a
 * trigger says when to start moving something out, these say whether the move worked. Each
 * is read from the newest run of its scenario that qualifies: `disqualify` (the trigger
 * evidence policy, in the CLI) names what is wrong with a run, and a run with reasons is
 * skipped. A criterion without qualifying evidence is never counted as met: the verdict says
 * it could not be evaluated.
 */

/** Why a run may not decide anything; empty when it qualifies. */
export type Disqualify = (scenario: string, evidence: Evidence) => Promise<string[]> | string[];

export type CriterionStatus = 'met' | 'not-met' | 'no-evidence' | 'invalid';

export interface CriterionResult {
  adr: number;
  kind: 'success' | 'rollback';
  id: string;
  metric: string;
  comparator: Criterion['comparator'];
  threshold: number;
  unit: string;
  status: CriterionStatus;
  value: number | null;
  evidence: string | null;
  reason: string;
}

export async function evaluateCriteria(root: string, resultsDir: string, records: readonly AdrRecord[], disqualify?: Disqualify): Promise<CriterionResult[]> {
  const out: CriterionResult[] = [];
  for (const record of records) {
    const data = (record.data ?? {}) as Record<string, unknown>;
    for (const kind of ['success', 'rollback'] as const) {
      const list = data[`${kind}-criteria`];
      if (!Array.isArray(list) || record.number === undefined) continue;
      for (const c of list as Criterion[]) {
        const base = { adr: record.number, kind, id: c.id, metric: c.metric, comparator: c.comparator, threshold: c.threshold.value, unit: c.threshold.unit };
        const files = await listEvidenceFiles(root, resultsDir, c.source.scenario);
        let result: CriterionResult | undefined;
        const skipped: string[] = [];
        for (const file of files) {
          const read = await readEvidence(root, file);
          if (read.ok && read.evidence.interrupted) continue;
          const reasons = read.ok && disqualify ? await disqualify(c.source.scenario, read.evidence) : [];
          if (reasons.length > 0) {
            skipped.push(`${file}: ${reasons.join('; ')}`);
            continue;
          }
          if (!read.ok) {
            result = { ...base, status: 'invalid', value: null, evidence: file, reason: `evidence ${file} ${read.reason}` };
            break;
          }
          const value = read.evidence.metrics[c.metric];
          const unit = read.evidence.units[c.metric];
          if (value === undefined || !Number.isFinite(value)) {
            result = { ...base, status: 'invalid', value: null, evidence: file, reason: `evidence ${file} has no metric ${c.metric}` };
          } else if (unit !== undefined && unit !== c.threshold.unit) {
            result = { ...base, status: 'invalid', value, evidence: file, reason: `${c.metric} in ${file} is in ${unit}, the criterion in ${c.threshold.unit}` };
          } else {
            const holds = compare(value, c.comparator, c.threshold.value);
            result = { ...base, status: holds ? 'met' : 'not-met', value, evidence: file, reason: `${value} ${c.comparator} ${c.threshold.value} ${c.threshold.unit} ${holds ? 'holds' : 'does not hold'}` };
          }
          break;
        }
        const why = skipped.length > 0 ? `none of the ${skipped.length} run(s) of ${c.source.scenario} qualifies (${skipped[0]}${skipped.length > 1 ? '; ...' : ''})` : `no complete run of scenario ${c.source.scenario}`;
        out.push(result ?? { ...base, status: 'no-evidence', value: null, evidence: null, reason: `${why}: run archfit load ${c.source.scenario}` });
      }
    }
  }
  return out;
}

/** The pilot's verdict: succeeded, roll back, or not decidable from the evidence. */
export function criteriaVerdict(results: readonly CriterionResult[]): 'succeeded' | 'roll-back' | 'not-yet' | 'cannot-evaluate' {
  if (results.some((r) => r.status === 'invalid' || r.status === 'no-evidence')) return 'cannot-evaluate';
  if (results.some((r) => r.kind === 'rollback' && r.status === 'met')) return 'roll-back';
  if (results.filter((r) => r.kind === 'success').every((r) => r.status === 'met')) return 'succeeded';
  return 'not-yet';
}

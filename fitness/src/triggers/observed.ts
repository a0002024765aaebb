import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { RevisitTrigger } from '../adr/schema.js';
import { compare, parseWindow, type TriggerResult } from './evaluate.js';
import type { EvidenceRead } from './evidence-store.js';
import { DEFAULT_EVIDENCE_POLICY, judgeEvidence, type EvidencePolicy } from './policy.js';

/**
 * Measurements the running app records about itself and exports as a file: today, daily
 * active users (distinct principals per UTC day). A load test says what the app could carry;
 * this says what it carries, which is what "10,000+ DAU sustained" is about.
 */
export const OBSERVED_SCHEMA_VERSION = 1;

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const ObservedDocumentSchema = Type.Object({
  schemaVersion: Type.Literal(OBSERVED_SCHEMA_VERSION),
  measurement: Type.Literal('daily-active-users'),
  unit: Type.Literal('users/day'),
  /** Where the app counted, e.g. `identity.daily_active_principals`. */
  source: Type.String({ minLength: 1 }),
  exportedAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' }),
  /** Complete UTC days only; a day on which nobody was active is present with value 0. */
  days: Type.Array(Type.Object({ day: Day, value: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
});
export type ObservedDocument = Static<typeof ObservedDocumentSchema>;

/** Where an observed measurement is exported when the config names no file. */
export const DEFAULT_OBSERVED_FILES: Record<string, string> = { 'daily-active-users': 'load/observed/daily-active-users.json' };

export function observedFile(settings: { observed?: Record<string, string> }, measurement: string): string {
  return settings.observed?.[measurement] ?? DEFAULT_OBSERVED_FILES[measurement] ?? `load/observed/${measurement}.json`;
}

export type ObservedRead = { ok: true; file: string; doc: ObservedDocument } | { ok: false; file: string; reason: string; missing?: boolean };

/** Reads and validates one exported file; never throws for bad content (that is an `invalid` status). */
export async function readObserved(root: string, file: string): Promise<ObservedRead> {
  let text: string;
  try {
    text = await readFile(path.resolve(root, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, file, reason: `cannot read: ${code ?? String(err)}`, missing: code === 'ENOENT' };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, file, reason: `not JSON: ${(err as Error).message}` };
  }
  const first = Value.Errors(ObservedDocumentSchema, data).First();
  if (first) return { ok: false, file, reason: `does not match the observed-measurement schema at ${first.path || '/'}: ${first.message}` };
  return { ok: true, file, doc: data as ObservedDocument };
}

export interface ObservedEvaluationInput {
  trigger: RevisitTrigger;
  adr: number;
  adrFile: string;
  read: ObservedRead;
  /** Newest evidence first of the scenario named by `fraction-of`, when the trigger has one. */
  reference?: EvidenceRead[];
  /** The `fraction-of` scenario's definition hash today (null: no such scenario file). */
  referenceHash?: string | null;
  /** Which reference runs may set the threshold (default: the default policy). */
  policy?: EvidencePolicy;
  now: Date;
  maxAgeDays: number;
}

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Fires when every one of the last N complete UTC days (N = the `sustain` window in days, 1
 * without one) compares true against the threshold. A day missing inside that window means
 * the app did not record it: that is `invalid`, never "did not fire". With `fraction-of`, the
 * threshold is that fraction of the metric in the scenario's newest complete evidence.
 */
export function evaluateObservedTrigger(input: ObservedEvaluationInput): TriggerResult {
  const { trigger, read, now } = input;
  const base = { id: trigger.id, adr: input.adr, adrFile: input.adrFile, metric: trigger.metric, comparator: trigger.comparator, threshold: trigger.threshold.value, unit: trigger.threshold.unit };
  if (!read.ok) {
    return read.missing
      ? { ...base, status: 'no-evidence', value: null, evidence: null, reason: `no export at ${read.file} yet: export the app's daily active users there` }
      : { ...base, status: 'invalid', value: null, evidence: read.file, reason: `${read.file} ${read.reason}` };
  }
  const exported = new Date(read.doc.exportedAt);
  const ageDays = (now.getTime() - exported.getTime()) / DAY_MS;
  const today = dayOf(now);
  const days = new Map(read.doc.days.filter((d) => d.day < today).map((d) => [d.day, d.value]));
  const latest = [...days.keys()].sort().pop();
  if (!latest) return { ...base, status: 'no-evidence', value: null, evidence: read.file, reason: `${read.file} holds no complete day yet` };
  const latestValue = days.get(latest)!;

  let threshold = trigger.threshold.value;
  let thresholdText = `${threshold} ${trigger.threshold.unit}`;
  const fraction = trigger['fraction-of'];
  // Set when the capacity the threshold is a fraction of is only a lower bound (see policy.ts).
  let thresholdIsLowerBound = false;
  if (fraction) {
    // The capacity comes from the newest run the evidence policy lets decide a trigger, as for
    // a scenario trigger: a quick, foreign, uncalibrated or generator-limited run never sets it.
    const reference = input.reference ?? [];
    const broken = reference.find((r) => !r.ok);
    if (broken && !broken.ok) return { ...base, status: 'invalid', value: latestValue, evidence: broken.file, reason: `evidence ${broken.file} ${broken.reason}: fix or remove it` };
    const policy = input.policy ?? DEFAULT_EVIDENCE_POLICY;
    const judged = (reference as Extract<EvidenceRead, { ok: true }>[]).map((r) => {
      const j = judgeEvidence(r.evidence, { policy, currentHash: input.referenceHash ?? null, now });
      const why = j.lowerBound && !j.lowerBound.metrics.includes(fraction.metric) ? [...j.reasons, j.lowerBound.reason] : j.reasons;
      return { r, why, lowerBound: j.lowerBound };
    });
    const newest = judged.find((j) => j.why.length === 0);
    if (!newest) {
      const why = [...new Set(judged.flatMap((j) => j.why))].join('; ');
      const reason = judged.length ? `none of the ${judged.length} run(s) of ${fraction.scenario} qualifies to give ${fraction.metric} (${why})` : `no evidence of scenario ${fraction.scenario} to take ${fraction.metric} from`;
      return { ...base, status: 'no-evidence', value: latestValue, evidence: read.file, reason };
    }
    const measured = newest.r.evidence.metrics[fraction.metric];
    if (measured === undefined || !Number.isFinite(measured)) {
      return { ...base, status: 'invalid', value: latestValue, evidence: newest.r.file, reason: `evidence ${newest.r.file} has no metric ${fraction.metric}` };
    }
    const measuredAgeDays = (now.getTime() - Date.parse(newest.r.evidence.finishedAt)) / DAY_MS;
    if (measuredAgeDays > input.maxAgeDays) {
      return { ...base, status: 'stale', value: latestValue, evidence: newest.r.file, reason: `${fraction.metric} was measured ${Math.floor(measuredAgeDays)} days ago in ${newest.r.file} (limit ${input.maxAgeDays}): measure again` };
    }
    thresholdIsLowerBound = newest.lowerBound !== undefined;
    threshold = trigger.threshold.value * measured;
    thresholdText = `${trigger.threshold.value} x ${fraction.metric} ${thresholdIsLowerBound ? '≥ ' : ''}${measured} (${newest.r.file}) = ${thresholdIsLowerBound ? '≥ ' : ''}${Math.round(threshold)}`;
  }
  const result = { ...base, threshold, value: latestValue, evidence: read.file };
  if (ageDays > input.maxAgeDays) {
    return { ...result, status: 'stale', reason: `${read.file} was exported ${Math.floor(ageDays)} days ago (limit ${input.maxAgeDays}): export again` };
  }
  const windowDays = trigger.sustain ? Math.max(1, Math.round(parseWindow(trigger.sustain) / DAY_MS)) : 1;
  const window: Array<{ day: string; value: number | undefined }> = [];
  for (let i = 0; i < windowDays; i++) {
    const day = dayOf(new Date(new Date(`${latest}T00:00:00Z`).getTime() - i * DAY_MS));
    window.push({ day, value: days.get(day) });
  }
  const firstRecorded = [...days.keys()].sort()[0]!;
  const gap = window.find((d) => d.value === undefined && d.day >= firstRecorded);
  if (gap) return { ...result, status: 'invalid', reason: `${read.file} has no figure for ${gap.day}, inside the ${windowDays}-day window: the app did not record that day` };
  const recorded = window.filter((d): d is { day: string; value: number } => d.value !== undefined);
  const stated = `${trigger.metric} ${trigger.comparator} ${thresholdText}`;
  const below = recorded.filter((d) => !compare(d.value, trigger.comparator, threshold));
  if (thresholdIsLowerBound) {
    // The true threshold is at or above the one computed: `>`/`>=` is settled only where it
    // fails against it (the value is below even the bound), `<`/`<=` only where it holds.
    const upward = trigger.comparator === '>' || trigger.comparator === '>=';
    const undecided = recorded.filter((d) => compare(d.value, trigger.comparator, threshold) === upward);
    if (upward && below.length > 0) {
      return { ...result, status: 'armed', reason: `${stated} does not hold on ${below.length} of the last ${recorded.length} recorded days (latest ${latest}: ${latestValue})` };
    }
    if (undecided.length > 0) {
      return { ...result, status: 'no-evidence', reason: `undetermined: ${stated} holds against a threshold that is only a lower bound on ${undecided.length} of the last ${recorded.length} recorded days; measure the capacity with a generator that keeps up` };
    }
  }
  if (below.length > 0) {
    return { ...result, status: 'armed', reason: `${stated} does not hold on ${below.length} of the last ${recorded.length} recorded days (latest ${latest}: ${latestValue})` };
  }
  if (recorded.length < windowDays) {
    return { ...result, status: 'armed', reason: `${stated} holds on all ${recorded.length} recorded days, but recording does not yet span ${windowDays} days` };
  }
  return { ...result, status: 'fired', reason: `${stated} held on each of the ${windowDays} days up to ${latest}` };
}

import type { Comparator, RevisitTrigger } from '../adr/schema.js';
import type { EvidenceRead } from './evidence-store.js';
import { DEFAULT_EVIDENCE_POLICY, judgeEvidence, settledByLowerBound, type EvidencePolicy } from './policy.js';

export const TRIGGER_STATUSES = ['armed', 'fired', 'no-evidence', 'stale', 'invalid'] as const;
export type TriggerStatus = (typeof TRIGGER_STATUSES)[number];

/** One trigger's state, as `archfit triggers --format json` prints it. */
export interface TriggerResult {
  id: string;
  /** Number of the ADR that declares the trigger. */
  adr: number;
  /** Repo-relative ADR file, for findings. */
  adrFile: string;
  status: TriggerStatus;
  metric: string;
  comparator: Comparator;
  /** The measured value; null when there is none to read. */
  value: number | null;
  /**
   * `lower`: the value is a lower bound (`≥ value`), from a capacity search whose generator fell
   * behind only above its highest passing step; the status is one the bound settles.
   */
  bound?: 'lower';
  threshold: number;
  unit: string;
  /** Repo-relative evidence file, or `repository:<measurement>` for figures archfit measures itself. */
  evidence: string | null;
  /** Why the status is what it is, in one sentence. */
  reason: string;
  /** Runs newer than the one that decided the status which do not qualify (quick, uncalibrated, ...): shown, never counted. */
  indicative?: Array<{ file: string; value: number | null; reasons: string[] }>;
  /** For a fired trigger: the accepted revisit that answers this firing, if one does. */
  answeredBy?: { adr: number; adrFile: string };
  /** For a fired, unanswered trigger: why records that refer to it do not answer it. */
  revisitNotes?: string[];
}

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}

/** `7d` / `12h` in milliseconds. */
export function parseWindow(sustain: string): number {
  const m = /^(\d+)([hd])$/.exec(sustain);
  if (!m) throw new Error(`not a window: ${sustain} (expected e.g. 7d or 12h)`);
  return Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
}

type Base = Omit<TriggerResult, 'status' | 'value' | 'evidence' | 'reason'>;

function base(trigger: RevisitTrigger, adr: number, adrFile: string): Base {
  return { id: trigger.id, adr, adrFile, metric: trigger.metric, comparator: trigger.comparator, threshold: trigger.threshold.value, unit: trigger.threshold.unit };
}

type Reading = { ok: true; value: number } | { ok: false; reason: string };

/** Reads the trigger's metric from valid evidence; a missing metric or a unit mismatch is never "not fired". */
function readMetric(trigger: RevisitTrigger, read: EvidenceRead): Reading {
  if (!read.ok) return { ok: false, reason: `evidence ${read.file} ${read.reason}` };
  const ev = read.evidence;
  const value = ev.metrics[trigger.metric];
  if (value === undefined) return { ok: false, reason: `evidence ${read.file} has no metric ${trigger.metric} (it has: ${Object.keys(ev.metrics).join(', ') || 'none'})` };
  if (!Number.isFinite(value)) return { ok: false, reason: `metric ${trigger.metric} in ${read.file} is not a finite number` };
  const unit = ev.units[trigger.metric];
  if (unit !== undefined && unit !== trigger.threshold.unit) {
    return { ok: false, reason: `metric ${trigger.metric} in ${read.file} is in ${unit}, the trigger's threshold in ${trigger.threshold.unit}` };
  }
  return { ok: true, value };
}

export interface ScenarioEvaluationInput {
  trigger: RevisitTrigger;
  adr: number;
  adrFile: string;
  /** Every evidence file of this scenario, newest first. */
  evidence: EvidenceRead[];
  now: Date;
  maxAgeDays: number;
  /** Which evidence may arm or fire (default: DEFAULT_EVIDENCE_POLICY). */
  policy?: EvidencePolicy;
  /** The scenario definition's hash today; null when the definition file does not exist. */
  currentHash?: string | null;
}

type Valid = Extract<EvidenceRead, { ok: true }>;

/**
 * The status of a scenario-measured trigger, failing closed:
 * - invalid: an evidence file of the scenario does not parse or breaks the schema, or the
 *   qualifying run lacks the metric or states it in another unit (never "not fired");
 * - no-evidence: no run qualifies under the policy (quick, foreign definition, uncalibrated,
 *   future-dated, interrupted or generator-limited runs are listed as indicative instead);
 * - stale: the newest qualifying run is older than maxAgeDays;
 * - fired / armed: `value comparator threshold` on the newest qualifying run; with `sustain`,
 *   on every qualifying run of the window and the one before it, with no gap longer than the
 *   window and that one no older than maxAgeDays.
 */
export function evaluateScenarioTrigger(input: ScenarioEvaluationInput): TriggerResult {
  const { trigger, now } = input;
  const policy = input.policy ?? DEFAULT_EVIDENCE_POLICY;
  const b = base(trigger, input.adr, input.adrFile);
  const scenario = scenarioOf(trigger);
  const broken = input.evidence.find((r) => !r.ok);
  if (broken && !broken.ok) return { ...b, status: 'invalid', value: null, evidence: broken.file, reason: `evidence ${broken.file} ${broken.reason}: fix or remove it` };
  const readable = input.evidence as Valid[];
  const foreign = readable.find((r) => r.evidence.scenario !== scenario);
  if (foreign) return { ...b, status: 'invalid', value: null, evidence: foreign.file, reason: `evidence ${foreign.file} is named for ${scenario} but records scenario ${foreign.evidence.scenario}` };

  const judged = readable.map((r) => ({ r, ...judgeRun(trigger, r, { policy, currentHash: input.currentHash ?? null, now }) }));
  const qualifying = judged.filter((j) => j.why.length === 0).map((j) => j.r);
  const bounded = new Set(judged.filter((j) => j.why.length === 0 && j.lowerBound).map((j) => j.r));
  const newest = qualifying[0];
  const newerThanNewest = judged.filter((j) => j.why.length > 0 && (!newest || j.r.evidence.finishedAt > newest.evidence.finishedAt));
  const indicative = newerThanNewest.slice(0, 3).map((j) => {
    const m = readMetric(trigger, j.r);
    return { file: j.r.file, value: m.ok ? m.value : null, reasons: j.why };
  });
  let extra: Pick<TriggerResult, 'indicative' | 'bound'> = indicative.length ? { indicative } : {};
  if (!newest) {
    if (readable.length === 0) return { ...b, status: 'no-evidence', value: null, evidence: null, reason: `no evidence for scenario ${scenario} yet: run archfit load ${scenario}` };
    const why = [...new Set(judged.flatMap((j) => j.why))].join('; ');
    return { ...b, ...extra, status: 'no-evidence', value: null, evidence: null, reason: `none of the ${readable.length} run(s) of ${scenario} qualifies (${why}): run the full profile on a machine that calibrates` };
  }
  const reading = readMetric(trigger, newest);
  if (!reading.ok) return { ...b, ...extra, status: 'invalid', value: null, evidence: newest.file, reason: reading.reason };
  const lower = bounded.has(newest);
  if (lower) extra = { ...extra, bound: 'lower' };
  const finished = Date.parse(newest.evidence.finishedAt);
  const ageDays = (now.getTime() - finished) / 86_400_000;
  if (ageDays > input.maxAgeDays) {
    return { ...b, ...extra, status: 'stale', value: reading.value, evidence: newest.file, reason: `newest qualifying evidence is ${Math.floor(ageDays)} days old (limit ${input.maxAgeDays}): measure again` };
  }
  const fires = compare(reading.value, trigger.comparator, trigger.threshold.value);
  // A lower bound only qualifies where it settles the comparison, so `fires` is what it settles.
  const stated = `${lower ? `≥ ${reading.value} (a lower bound: ${boundNote(judged.find((j) => j.r === newest)!.lowerBound!)})` : reading.value} ${trigger.comparator} ${trigger.threshold.value} ${trigger.threshold.unit}`;
  if (!fires) return { ...b, ...extra, status: 'armed', value: reading.value, evidence: newest.file, reason: `${stated} does not hold` };
  if (!trigger.sustain) return { ...b, ...extra, status: 'fired', value: reading.value, evidence: newest.file, reason: `${stated} holds` };

  // Sustained: every qualifying run inside the window, and the last one before it (the state
  // when the window opened), must fire; runs may not be further apart than the window itself.
  const windowMs = parseWindow(trigger.sustain);
  const windowStart = now.getTime() - windowMs;
  const chain: Valid[] = [];
  let boundary: Valid | undefined;
  for (const r of qualifying) {
    chain.push(r);
    if (Date.parse(r.evidence.finishedAt) <= windowStart) {
      boundary = r;
      break;
    }
  }
  const held = `${stated} holds now`;
  if (finished <= windowStart) return { ...b, ...extra, status: 'armed', value: reading.value, evidence: newest.file, reason: `${held}, but no qualifying run in the last ${trigger.sustain}` };
  for (const r of chain) {
    const m = readMetric(trigger, r);
    if (!m.ok) return { ...b, ...extra, status: 'invalid', value: reading.value, evidence: r.file, reason: m.reason };
    if (!compare(m.value, trigger.comparator, trigger.threshold.value)) return { ...b, ...extra, status: 'armed', value: reading.value, evidence: newest.file, reason: `${held} but not in every qualifying run of the last ${trigger.sustain} (${r.file}: ${m.value})` };
  }
  if (!boundary) return { ...b, ...extra, status: 'armed', value: reading.value, evidence: newest.file, reason: `${held}, but the qualifying runs do not yet span ${trigger.sustain}` };
  if ((now.getTime() - Date.parse(boundary.evidence.finishedAt)) / 86_400_000 > input.maxAgeDays) {
    return { ...b, ...extra, status: 'armed', value: reading.value, evidence: newest.file, reason: `${held}, but the run that opens the ${trigger.sustain} window (${boundary.file}) is older than ${input.maxAgeDays} days` };
  }
  for (let i = 1; i < chain.length; i++) {
    const gap = Date.parse(chain[i - 1]!.evidence.finishedAt) - Date.parse(chain[i]!.evidence.finishedAt);
    if (gap > windowMs) return { ...b, ...extra, status: 'armed', value: reading.value, evidence: newest.file, reason: `${held}, but ${chain[i]!.file} and ${chain[i - 1]!.file} are ${Math.round(gap / 3_600_000)} h apart, more than the ${trigger.sustain} window: nothing shows the time between` };
  }
  return { ...b, ...extra, status: 'fired', value: reading.value, evidence: newest.file, reason: `${stated} held in all ${chain.length} qualifying runs from ${boundary.evidence.finishedAt} on, covering the last ${trigger.sustain}` };
}

type Judged = { why: string[]; lowerBound?: NonNullable<ReturnType<typeof judgeEvidence>['lowerBound']> };

/**
 * Whether one run may decide this trigger. A run that is only a capacity lower bound may, for
 * a capacity metric whose comparison the bound settles; otherwise it is rejected with why.
 */
function judgeRun(trigger: RevisitTrigger, r: Valid, ctx: Parameters<typeof judgeEvidence>[1]): Judged {
  const { reasons, lowerBound } = judgeEvidence(r.evidence, ctx);
  if (!lowerBound || reasons.length > 0) return { why: lowerBound ? [...reasons, lowerBound.reason] : reasons };
  if (!lowerBound.metrics.includes(trigger.metric)) return { why: [lowerBound.reason] };
  const m = readMetric(trigger, r);
  // A missing metric or a unit mismatch qualifies, so that it is reported as invalid, never skipped.
  if (!m.ok) return { why: [], lowerBound };
  if (settledByLowerBound(m.value, trigger.comparator, trigger.threshold.value) === undefined) {
    return { why: [`undetermined: ${trigger.metric} ≥ ${m.value} is a lower bound (${boundNote(lowerBound)}), which cannot decide ${trigger.metric} ${trigger.comparator} ${trigger.threshold.value} ${trigger.threshold.unit}; measure the capacity with a generator that keeps up`] };
  }
  return { why: [], lowerBound };
}

function boundNote(bound: NonNullable<Judged['lowerBound']>): string {
  return `the generator fell behind at ${bound.behind.join(', ')}, above the highest passing step ${bound.passingRate}/s`;
}

/** A scenario trigger whose scenario has no definition file: nothing can ever measure it. */
export function unknownScenarioTrigger(trigger: RevisitTrigger, adr: number, adrFile: string, scenariosDir: string): TriggerResult {
  return { ...base(trigger, adr, adrFile), status: 'invalid', value: null, evidence: null, reason: `source scenario ${scenarioOf(trigger)} does not exist (no ${scenariosDir}/${scenarioOf(trigger)}.json)` };
}

export interface RepositoryEvaluationInput {
  trigger: RevisitTrigger;
  adr: number;
  adrFile: string;
  measurement: string;
  reading: Reading & { detail?: string };
}

/** Repository measurements are taken now, so they are never stale. */
export function evaluateRepositoryTrigger(input: RepositoryEvaluationInput): TriggerResult {
  const { trigger, reading } = input;
  const b = base(trigger, input.adr, input.adrFile);
  const evidence = `repository:${input.measurement}`;
  if (!reading.ok) return { ...b, status: 'invalid', value: null, evidence, reason: reading.reason };
  const fires = compare(reading.value, trigger.comparator, trigger.threshold.value);
  const stated = `${reading.value} ${trigger.comparator} ${trigger.threshold.value} ${trigger.threshold.unit}`;
  const detail = reading.detail ? ` (${reading.detail})` : '';
  return { ...b, status: fires ? 'fired' : 'armed', value: reading.value, evidence, reason: `${stated} ${fires ? 'holds' : 'does not hold'}${detail}` };
}

function scenarioOf(trigger: RevisitTrigger): string {
  return 'scenario' in trigger.source ? trigger.source.scenario : '?';
}

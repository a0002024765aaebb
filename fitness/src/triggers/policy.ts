import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Evidence } from './evidence-schema.js';

/**
 * Which evidence may arm or fire a trigger (config `triggers.evidence`). Evidence that does
 * not qualify is still shown, as indicative, but it never decides a trigger's status and never
 * hides a qualifying run.
 */
export interface EvidencePolicy {
  /** Profiles whose runs qualify. Default: full only (quick and test runs are indicative). */
  profiles: string[];
  /** `match`: the run's definition hash must equal the scenario file's today. Default match. */
  definitionHash: 'match' | 'any';
  /** Largest calibration error a qualifying run may have recorded (0.1 = 10 %). Runs with no calibration never qualify. */
  maxCalibrationError: number;
  /** `reject`: a run where any step's generator fell behind does not qualify. Default reject. */
  generatorBehind: 'reject' | 'accept';
  /**
   * A capacity search whose generator fell behind only in steps above its highest passing step:
   * those steps say nothing against the passing steps below them, so the capacity is a lower
   * bound (`capacity ≥ X`). `lower-bound` (default): such a run may decide a trigger on one of
   * `capacityMetrics` when the bound settles the trigger's comparison (`dau_capacity < 10000`
   * is settled "does not hold" by `dau_capacity ≥ 282436`), and does not qualify otherwise
   * (undetermined, said in the reason). `reject`: the run is rejected like any other
   * generator-behind run. A behind step at or below the highest passing step always rejects,
   * and so does a behind run for every other metric.
   */
  behindAboveCapacity: 'lower-bound' | 'reject';
  /** The metrics a capacity search reports from its highest passing step: read as lower bounds above. */
  capacityMetrics: string[];
  /** Stale or missing qualifying evidence for a scenario trigger fails `archfit check`. Default true. */
  requireFresh: boolean;
  /**
   * Runners archfit cannot calibrate (evidence `quality.calibration: null`) whose runs may still
   * qualify, e.g. `["k6"]` for a team that trusts its k6 cluster. Default none.
   */
  externalRunners: string[];
}

export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = {
  profiles: ['full'],
  definitionHash: 'match',
  maxCalibrationError: 0.1,
  generatorBehind: 'reject',
  behindAboveCapacity: 'lower-bound',
  capacityMetrics: ['sustainable_rate_rps', 'dau_capacity'],
  requireFresh: true,
  externalRunners: [],
};

/** Clocks on two machines disagree a little; more than this in the future is a wrong date. */
const FUTURE_SKEW_MS = 5 * 60_000;

/** `sha256:` of a scenario definition's bytes (as the runner records it), or null when there is no such file. */
export async function definitionHash(root: string, scenariosDir: string, scenario: string): Promise<string | null> {
  try {
    const bytes = await readFile(path.resolve(root, scenariosDir, `${scenario}.json`));
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * A run whose generator fell behind only above the highest passing step of its capacity
 * search: it may decide triggers on `metrics`, whose values are then lower bounds.
 */
export interface CapacityLowerBound {
  metrics: string[];
  /** Offered rate of the highest passing step. */
  passingRate: number;
  /** The behind steps, all above `passingRate`. */
  behind: string[];
  /** Why the run qualifies only this way, e.g. for a trigger on another metric. */
  reason: string;
}

export interface EvidenceJudgement {
  /** Why the run may not arm or fire any trigger; empty when it qualifies. */
  reasons: string[];
  /** Set when the run qualifies only as a lower bound on its capacity metrics. */
  lowerBound?: CapacityLowerBound;
}

/**
 * Why one run may not arm or fire a trigger; empty when it qualifies. A run that qualifies only
 * as a capacity lower bound is disqualified here (callers that cannot use a bound stay strict);
 * `judgeEvidence` tells the two apart.
 */
export function disqualifications(ev: Evidence, ctx: { policy: EvidencePolicy; currentHash: string | null; now: Date }): string[] {
  const judged = judgeEvidence(ev, ctx);
  return judged.lowerBound ? [...judged.reasons, judged.lowerBound.reason] : judged.reasons;
}

/** How one run may be used: not at all (reasons), fully, or as a lower bound on its capacity metrics. */
export function judgeEvidence(ev: Evidence, ctx: { policy: EvidencePolicy; currentHash: string | null; now: Date }): EvidenceJudgement {
  const { policy } = ctx;
  const out: string[] = [];
  let lowerBound: CapacityLowerBound | undefined;
  if (ev.interrupted) out.push('interrupted');
  if (!policy.profiles.includes(ev.profile)) out.push(`${ev.profile} profile (qualifying: ${policy.profiles.join(', ')})`);
  if (policy.definitionHash === 'match' && ev.definitionHash !== ctx.currentHash) out.push('definition hash differs from the scenario file today');
  const finished = Date.parse(ev.finishedAt);
  if (finished > ctx.now.getTime() + FUTURE_SKEW_MS) out.push(`dated in the future (${ev.finishedAt})`);
  if (Date.parse(ev.startedAt) > finished) out.push('starts after it finishes');
  const q = ev.quality;
  if (!q) out.push('records no calibration (schemaVersion 1)');
  else {
    if (q.calibration === null) {
      if (!policy.externalRunners.includes(ev.runner.name)) out.push(`not calibrated by archfit (runner ${ev.runner.name}; list it in triggers.evidence.externalRunners to let its runs decide)`);
    } else if (!q.calibration.passed || q.calibration.error > policy.maxCalibrationError) out.push(`calibration error ${round(q.calibration.error * 100)} % over ${round(policy.maxCalibrationError * 100)} %`);
    if (policy.generatorBehind === 'reject' && q.generator.behindSteps.length) {
      const behind = `generator fell behind in ${q.generator.behindSteps.length} step(s)`;
      const bound = policy.behindAboveCapacity === 'lower-bound' ? behindAboveCapacity(ev, q.generator.behindSteps) : undefined;
      if (bound && 'passingRate' in bound) {
        const metrics = (policy.capacityMetrics ?? DEFAULT_EVIDENCE_POLICY.capacityMetrics).filter((m) => m in ev.metrics);
        lowerBound = { metrics, passingRate: bound.passingRate, behind: bound.behind, reason: `${behind}, all above the highest passing step (${bound.passingRate}/s): only its capacity (${metrics.join(', ') || 'none recorded'}) may be read from it, as a lower bound` };
      } else out.push(bound ? `${behind} (${bound.why})` : behind);
    }
  }
  return lowerBound ? { reasons: out, lowerBound } : { reasons: out };
}

/**
 * Whether every behind step lies above the highest step that passed: then the passing steps
 * stand and the capacity they found is a lower bound. Fails closed on anything else.
 */
function behindAboveCapacity(ev: Evidence, behindLabels: string[]): { passingRate: number; behind: string[] } | { why: string } {
  const passing = ev.steps.filter((s) => s.model === 'open' && s.offeredRate !== null && (s.verdict ?? (s.withinSlo ? 'pass' : undefined)) === 'pass');
  if (passing.length === 0) return { why: 'no step passed, so there is no capacity below the behind steps' };
  const passingRate = Math.max(...passing.map((s) => s.offeredRate!));
  const labels = new Set([...behindLabels, ...ev.steps.filter((s) => s.generator?.behind).map((s) => s.label)]);
  for (const label of labels) {
    const step = ev.steps.find((s) => s.label === label);
    if (!step || step.offeredRate === null) return { why: `behind step ${label} has no offered rate in the run` };
    if (step.offeredRate <= passingRate) return { why: `${label} is at or below the highest passing step (${passingRate}/s)` };
  }
  return { passingRate, behind: [...labels] };
}

/** Whether a lower bound settles `value comparator threshold`: true/false when it does, undefined when it cannot. */
export function settledByLowerBound(bound: number, comparator: '<' | '<=' | '>' | '>=', threshold: number): boolean | undefined {
  switch (comparator) {
    case '<':
      return bound >= threshold ? false : undefined;
    case '<=':
      return bound > threshold ? false : undefined;
    case '>':
      return bound > threshold ? true : undefined;
    case '>=':
      return bound >= threshold ? true : undefined;
  }
}

const round = (v: number) => Math.round(v * 10) / 10;

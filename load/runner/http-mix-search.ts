// Steps and verdicts of an http-mix run, shared by the in-repo runner (which measures the steps)
// and the k6 import (which reads them back from k6's summary): one SLO rule, one set of metrics.

import type { HttpMixProfileDef, HttpMixScenario } from '../scenarios/schema.js';

/** What both runners know about one measured step. */
export interface StepFigures {
  /** `search`, `refine` or `fixed`. */
  phase: string;
  /** Fixed steps' names (metric suffixes); search steps are named by their rate. */
  name: string;
  offeredRate: number;
  p50: number;
  p99: number;
  /** Errors (unexpected statuses, timeouts, dropped) over requests scheduled. */
  errorRate: number;
  interrupted: boolean;
}

export type Slo = HttpMixScenario['slo'];

/** The dau rule: p99 and error rate within the SLO, and the schedule not cut short. */
export function meetsSlo(s: Pick<StepFigures, 'p99' | 'errorRate' | 'interrupted'>, slo: Slo): boolean {
  return !s.interrupted && s.p99 <= slo.p99Ms && s.errorRate <= slo.maxErrorRate;
}

type Search = Extract<HttpMixProfileDef['steps'], { search: unknown }>['search'];

/** The rising rates of a capacity search, as many as the profile allows (k6 plans them all up front). */
export function searchRates(search: Search): number[] {
  const rates: number[] = [];
  for (let rate = search.startRate, i = 0; i < search.maxSteps && rate <= search.maxRate; i++, rate = Math.round(rate * search.stepFactor)) rates.push(rate);
  return rates;
}

/**
 * Capacity search with the open model: rising steps until one breaks the SLO, then bisection
 * between the last passing and the first failing rate. `measure` runs one step.
 */
export async function capacitySearch(search: Search, slo: Slo, measure: (rate: number, phase: 'search' | 'refine') => Promise<StepFigures>, stopped: () => boolean): Promise<StepFigures[]> {
  const steps: StepFigures[] = [];
  for (const rate of searchRates(search)) {
    if (stopped()) break;
    const s = await measure(rate, 'search');
    steps.push(s);
    if (!meetsSlo(s, slo)) break;
  }
  for (let i = 0; i < search.refineSteps && !stopped(); i++) {
    const { lastPass, firstFail } = bounds(steps, slo);
    if (lastPass === undefined || firstFail === undefined) break;
    const mid = Math.round((lastPass.offeredRate + firstFail) / 2);
    if (mid <= lastPass.offeredRate || mid >= firstFail) break;
    steps.push(await measure(mid, 'refine'));
  }
  return steps;
}

/**
 * The highest passing rate and the lowest failing one. Search steps after the first failure
 * (k6 runs every planned step) do not count: the search stops there, in both runners.
 */
export function bounds(steps: readonly StepFigures[], slo: Slo): { lastPass?: StepFigures; firstFail?: number } {
  let lastPass: StepFigures | undefined;
  let firstFail: number | undefined;
  let searchEnded = false;
  for (const s of steps) {
    if (s.phase === 'search' && searchEnded) continue;
    const ok = meetsSlo(s, slo);
    if (s.phase === 'search' && !ok) searchEnded = true;
    if (ok && (!lastPass || s.offeredRate > lastPass.offeredRate)) lastPass = s;
    if (!ok && (firstFail === undefined || s.offeredRate < firstFail)) firstFail = s.offeredRate;
  }
  return { ...(lastPass ? { lastPass } : {}), ...(firstFail !== undefined ? { firstFail } : {}) };
}

/** The named metrics an http-mix run reports (what ADR triggers and thresholds read). */
export function mixMetrics(def: HttpMixScenario, steps: readonly StepFigures[]): { metrics: Record<string, number>; units: Record<string, string>; notes: string[] } {
  const metrics: Record<string, number> = { slo_p99_ms: def.slo.p99Ms };
  const units: Record<string, string> = { slo_p99_ms: 'ms' };
  const notes: string[] = [];
  const { lastPass, firstFail } = bounds(steps, def.slo);
  metrics.sustainable_rate_rps = lastPass?.offeredRate ?? 0;
  units.sustainable_rate_rps = 'req/s';
  if (lastPass) {
    Object.assign(metrics, { p99_at_sustainable_ms: lastPass.p99, error_rate_at_sustainable: lastPass.errorRate });
    Object.assign(units, { p99_at_sustainable_ms: 'ms', error_rate_at_sustainable: 'ratio' });
  } else notes.push('No step met the SLO: sustainable_rate_rps is 0.');
  if (firstFail !== undefined) {
    metrics.first_failing_rate_rps = firstFail;
    units.first_failing_rate_rps = 'req/s';
  }
  for (const s of steps.filter((x) => x.phase === 'fixed')) {
    Object.assign(metrics, { [`p50_ms_${s.name}`]: s.p50, [`p99_ms_${s.name}`]: s.p99, [`error_rate_${s.name}`]: s.errorRate });
    Object.assign(units, { [`p50_ms_${s.name}`]: 'ms', [`p99_ms_${s.name}`]: 'ms', [`error_rate_${s.name}`]: 'ratio' });
  }
  if (steps.length) {
    metrics.p99_ms_max = Math.max(...steps.map((s) => s.p99));
    units.p99_ms_max = 'ms';
  }
  const undeclared = Object.keys(def.metrics).filter((m) => metrics[m] === undefined);
  if (undeclared.length) notes.push(`Declared metrics this run did not produce: ${undeclared.join(', ')} (thresholds on them are "missing", never a pass).`);
  return { metrics, units, notes };
}

/** The profile's steps as (phase, name, rate), in the order they run; a search lists its rising rates. */
export function plannedSteps(p: HttpMixProfileDef): Array<{ phase: 'search' | 'fixed'; name: string; rate: number }> {
  if ('rates' in p.steps) return p.steps.rates.map((r) => ({ phase: 'fixed' as const, name: r.name, rate: r.rate }));
  return searchRates(p.steps.search).map((rate) => ({ phase: 'search' as const, name: `search_${rate}`, rate }));
}

import type { ScheduleResult } from './open-schedule.js';

export interface Slo {
  p99Ms: number;
  maxErrorRate: number;
}

/**
 * pass / fail for the app, or inconclusive when the step is no verdict on it: cut short, or
 * the generator fell behind its own schedule or saturated its core. Failed, timed-out and
 * dropped requests are already in the p99 (as not answered within the timeout) and in the
 * error rate, so a step that loses requests cannot pass on the ones that came back.
 */
export function stepVerdict(r: ScheduleResult, slo: Slo): 'pass' | 'fail' | 'inconclusive' {
  if (r.interrupted || r.generator.behind) return 'inconclusive';
  return r.latency.p99 <= slo.p99Ms && r.errors.rate <= slo.maxErrorRate ? 'pass' : 'fail';
}

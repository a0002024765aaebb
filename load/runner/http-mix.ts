import type { HttpMixScenario, ProfileName } from '../scenarios/schema.js';
import { stepFromOpen, type EvidenceStep } from './evidence.js';
import { capacitySearch, meetsSlo, mixMetrics, plannedSteps, type StepFigures } from './http-mix-search.js';
import { mixRequest, type MixData, type StreamRequest } from './http-mix-stream.js';
import { runOpenModel, type RequestSpec } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';

/** A stream request in the open-model runner's shape (it serialises the body itself). */
export function toSpec(r: StreamRequest): RequestSpec {
  return {
    name: r.name,
    method: r.method,
    path: r.path,
    headers: r.headers,
    ...(r.body !== undefined ? { body: JSON.parse(r.body) as unknown } : {}),
    ...(r.expect.length ? { expect: r.expect } : {}),
  };
}

export function mixProfile(def: HttpMixScenario, profile: ProfileName): NonNullable<HttpMixScenario['profiles'][ProfileName]> {
  const p = def.profiles[profile];
  if (!p) throw new Error(`${def.id} has no ${profile} profile (it has ${Object.keys(def.profiles).join(', ')})`);
  return p;
}

/**
 * An http-mix run against any app: an optional warm-up, then fixed-rate steps or a capacity
 * search with the dau SLO rule, all open-model. Request g of the run (counted across steps,
 * warm-up included) is `mixRequest(def, data, g)`, exactly what the generated k6 script sends.
 */
export async function runHttpMix(def: HttpMixScenario, data: MixData, target: string, ctx: Omit<RunContext, 'adminUrl'>): Promise<ScenarioOutcome> {
  const p = mixProfile(def, ctx.profile);
  const steps: EvidenceStep[] = [];
  let offset = 0;
  let interrupted = false;
  const open = async (rate: number, durationS: number, label: string) => {
    const base = offset;
    const bar = ctx.progress(label);
    const r = await runOpenModel({ target, rate, durationS, connections: p.connections, signal: ctx.signal, next: (n) => toSpec(mixRequest(def, data, base + n)), onTick: (t) => bar.update(t.completed, t.planned, t.errors) });
    bar.stop();
    offset += r.planned;
    interrupted ||= r.interrupted;
    return r;
  };
  const planned = plannedSteps(p);
  if (p.warmupS > 0) await open(planned[0]!.rate, p.warmupS, `warm-up ${planned[0]!.rate}/s`);
  const measure = async (rate: number, phase: string, name: string): Promise<StepFigures> => {
    const r = await open(rate, p.stepDurationS, `${phase} ${rate}/s`);
    const figures: StepFigures = { phase, name, offeredRate: rate, p50: r.latency.p50, p99: r.latency.p99, errorRate: r.errors.rate, interrupted: r.interrupted };
    steps.push(stepFromOpen(phase === 'fixed' ? name : `${phase} ${rate}/s`, { phase, step: name }, r, {}, meetsSlo(figures, def.slo)));
    return figures;
  };
  let figures: StepFigures[];
  if ('rates' in p.steps) {
    figures = [];
    for (const s of p.steps.rates) {
      if (ctx.signal.aborted) break;
      figures.push(await measure(s.rate, 'fixed', s.name));
    }
  } else {
    figures = await capacitySearch(p.steps.search, def.slo, (rate, phase) => measure(rate, phase, `${phase}_${rate}`), () => ctx.signal.aborted);
  }
  const { metrics, units, notes } = mixMetrics(def, figures);
  notes.push(
    `Request mix: ${def.requests.map((r) => `${r.name} ${r.weight ?? 1}`).join(', ')} (weights), seed ${def.seed}.`,
    `SLO per step: p99 <= ${def.slo.p99Ms} ms and errors <= ${def.slo.maxErrorRate * 100} % (unexpected statuses, timeouts and requests dropped over the in-flight cap).`,
  );
  return { targetUrl: target, appEnv: {}, steps, database: {}, metrics, units, notes, interrupted: interrupted || ctx.signal.aborted };
}

import type { DauScenario } from '../scenarios/schema.js';
import { startApp, type RunningApp } from './app-process.js';
import { createDatabase } from './database.js';
import { dauCapacity, requiredRate, requestsPerDau } from './dau-model.js';
import { stepFromOpen, type EvidenceStep } from './evidence.js';
import { seedIdentities, seedListings, type Fixture } from './fixture.js';
import { toSpec } from './http-mix.js';
import { DAU_SEED, dauRequest } from './http-mix-stream.js';
import { runOpenModel, type OpenModelResult } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';
import { stepVerdict } from './slo.js';


/** A step meets the SLO when its p99 (failed and dropped requests included) and error rate do, and it is a verdict on the app at all. */
export function withinSlo(r: OpenModelResult, slo: DauScenario['slo']): boolean {
  return stepVerdict(r, slo) === 'pass';
}

/**
 * Capacity search with the open model: raise the arrival rate by a factor per step until a
 * step breaks the SLO, bisect between the last good and first bad rate, and turn the highest
 * sustained rate into DAU with the definition's stated assumptions.
 */
export async function runDau(def: DauScenario, ctx: RunContext): Promise<ScenarioOutcome> {
  const p = def.profiles[ctx.profile];
  const steps: EvidenceStep[] = [];
  const notes: string[] = [];
  const db = await createDatabase(ctx.adminUrl, 'dau');
  let app: RunningApp | undefined;
  let interrupted = false;
  try {
    app = await startApp({ env: { ...def.appEnv, DATABASE_URL: db.url } });
    const tokens = await seedIdentities(app.url, def.seed.consumers);
    const fx: Fixture = {
      tokens,
      listings: await seedListings(app.url, tokens.seller[0]!, def.seed.listings, { title: 'Vintage brass lamp', priceCents: 1000, stock: 5 }),
      // Deep stock so checkouts measure the write path, not a sold-out listing.
      fixedListings: await seedListings(app.url, tokens.seller[0]!, def.seed.fixedPriceListings ?? 1, { title: 'Desk chair', priceCents: 2500, stock: 100_000 }, 'fixed-price'),
    };
    // The seeded stream the generated k6 script sends too (http-mix-stream.ts): request g of the
    // run, counted across steps with the warm-up, is the same in both runners.
    let offset = 0;
    const target = app.url;
    const step = async (rate: number, label: string, phase: string): Promise<OpenModelResult> => {
      const bar = ctx.progress(label);
      const base = offset;
      const next = (n: number) => toSpec(dauRequest(def.mix, fx, base + n, DAU_SEED));
      const r = await runOpenModel({ target, rate, durationS: phase === 'warmup' ? p.warmupS : p.stepDurationS, connections: p.connections, signal: ctx.signal, next, onTick: (t) => bar.update(t.completed, t.planned, t.errors) });
      offset += r.planned;
      bar.stop();
      return r;
    };
    if (p.warmupS > 0) await step(p.startRate, `warm-up ${p.startRate}/s`, 'warmup');

    let lastPass: { rate: number; r: OpenModelResult } | undefined;
    let firstFail: number | undefined;
    let generatorLimit: number | undefined;
    const record = (rate: number, r: OpenModelResult, phase: string) => {
      const verdict = stepVerdict(r, def.slo);
      interrupted ||= r.interrupted;
      steps.push(stepFromOpen(`${phase} ${rate}/s`, { phase }, r, {}, verdict === 'pass'));
      if (verdict === 'pass' && (!lastPass || rate > lastPass.rate)) lastPass = { rate, r };
      if (verdict === 'fail' && (firstFail === undefined || rate < firstFail)) firstFail = rate;
      // The generator, not the app, was the limit: stop searching without calling it a failure.
      if (verdict === 'inconclusive' && r.generator.behind) generatorLimit ??= rate;
      return verdict;
    };
    let rate = p.startRate;
    for (let i = 0; i < p.maxSteps && rate <= p.maxRate && !ctx.signal.aborted; i++) {
      const verdict = record(rate, await step(rate, `search ${rate}/s`, 'search'), 'search');
      if (verdict !== 'pass') break;
      rate = Math.round(rate * p.stepFactor);
    }
    for (let i = 0; i < p.refineSteps && lastPass && firstFail !== undefined && !ctx.signal.aborted; i++) {
      const mid = Math.round((lastPass.rate + firstFail) / 2);
      if (mid <= lastPass.rate || mid >= firstFail) break;
      record(mid, await step(mid, `refine ${mid}/s`, 'refine'), 'refine');
    }

    const sustainable = lastPass?.rate ?? 0;
    if (generatorLimit !== undefined) notes.push(`At ${generatorLimit}/s the load generator fell behind its own schedule (it shares the machine with the app): the search stopped there, and the capacity is at least the last passing rate, not a measured limit of the app.`);
    if (firstFail === undefined) notes.push(`No step broke the SLO up to ${steps.at(-1)?.offeredRate ?? 0}/s (the profile's limit): the capacity is at least what is reported.`);
    if (!lastPass) notes.push(`Even the first step (${p.startRate}/s) broke the SLO: the capacity is below it and is reported as 0.`);
    notes.push(
      `DAU model: ${def.model.sessionsPerUserPerDay} sessions x ${def.model.requestsPerSession} requests per user per day = ${requestsPerDau(def.model)} requests per DAU; peak-to-mean ${def.model.peakToMean}; safety ${def.model.safetyFactor}. DAU_capacity = ${sustainable} req/s x 86400 / (${requestsPerDau(def.model)} x ${def.model.peakToMean} x ${def.model.safetyFactor}).`,
      `Mix: ${def.mix.map((m) => `${m.name} ${m.weight ?? 1}`).join(', ')} (weights).`,
      'One app process and one PostgreSQL, both on this machine, sharing its cores with the load generator.',
    );
    const metrics: Record<string, number> = {
      dau_capacity: dauCapacity(sustainable, def.model),
      sustainable_rate_rps: sustainable,
      projected_dau: def.model.projectedDau,
      projected_peak_rps: Math.round(requiredRate(def.model.projectedDau, def.model) * 100) / 100,
      slo_p99_ms: def.slo.p99Ms,
      ...(lastPass ? { p99_at_sustainable_ms: lastPass.r.latency.p99, error_rate_at_sustainable: lastPass.r.errors.rate } : {}),
      ...(firstFail !== undefined ? { first_failing_rate_rps: firstFail } : {}),
    };
    const units: Record<string, string> = {
      dau_capacity: 'users/day',
      sustainable_rate_rps: 'req/s',
      projected_dau: 'users/day',
      projected_peak_rps: 'req/s',
      slo_p99_ms: 'ms',
      p99_at_sustainable_ms: 'ms',
      error_rate_at_sustainable: 'ratio',
      first_failing_rate_rps: 'req/s',
    };
    const appEnv = Object.fromEntries(Object.entries(app.env).filter(([k]) => k !== 'DATABASE_URL'));
    return { targetUrl: app.url, appEnv, steps, database: {}, metrics, units, notes, interrupted: interrupted || ctx.signal.aborted };
  } finally {
    await app?.stop();
    await db.drop().catch(() => {});
  }
}

import pg from 'pg';
import type { DauScenario } from '../scenarios/schema.js';
import { startApp, type RunningApp } from './app-process.js';
import { createDatabase } from './database.js';
import { dauCapacity, requiredRate, requestsPerDau } from './dau-model.js';
import { stepFromOpen, type EvidenceStep } from './evidence.js';
import { seedIdentities, seedListings, type Fixture } from './fixture.js';
import { toSpec } from './http-mix.js';
import { DAU_SEED, dauRequest } from './http-mix-stream.js';
import { readProc } from './module-cost-proc.js';
import { runOpenModel, type OpenModelResult } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';
import { stepVerdict } from './slo.js';


/** A step meets the SLO when its p99 (failed and dropped requests included) and error rate do, and it is a verdict on the app at all. */
export interface DatabaseSize {
  /** pg_database_size of the run's database: tables, indexes, TOAST and the catalog. */
  totalBytes: number;
  /** The largest tables with their indexes and TOAST (pg_total_relation_size), largest first. */
  tables: Array<{ name: string; bytes: number }>;
}

/** The size of the database behind `url` and its `top` largest tables (system schemas left out). */
export async function readDatabaseSize(url: string, top = 5): Promise<DatabaseSize> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const total = await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
    const tables = await c.query<{ name: string; b: string }>(
      `SELECT n.nspname || '.' || c.relname AS name, pg_total_relation_size(c.oid) AS b
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        ORDER BY pg_total_relation_size(c.oid) DESC, 1 LIMIT $1`,
      [top],
    );
    return { totalBytes: Number(total.rows[0]!.b), tables: tables.rows.map((r) => ({ name: r.name, bytes: Number(r.b) })) };
  } finally {
    await c.end();
  }
}

/**
 * What one instance and one database amount to at the end of the capacity search (ADR-0014's
 * cost in resources): the database's size, its growth over the run per request and per DAU-day,
 * the largest tables, and the app process's peak memory.
 */
export function sizeFigures(before: DatabaseSize, after: DatabaseSize, requestsSent: number, requestsPerDauDay: number, peakRssBytes: number | undefined): { metrics: Record<string, number>; units: Record<string, string>; database: Record<string, number> } {
  const growth = Math.max(0, after.totalBytes - before.totalBytes);
  const perRequest = requestsSent > 0 ? Math.round((growth / requestsSent) * 10) / 10 : 0;
  const metrics: Record<string, number> = {
    app_instances: 1,
    database_instances: 1,
    database_size_bytes: after.totalBytes,
    database_size_after_seed_bytes: before.totalBytes,
    database_growth_bytes: growth,
    database_growth_bytes_per_request: perRequest,
    database_growth_bytes_per_dau_day: Math.round(perRequest * requestsPerDauDay),
    ...(peakRssBytes !== undefined ? { app_peak_rss_bytes: peakRssBytes } : {}),
  };
  const units: Record<string, string> = {
    app_instances: 'instances',
    database_instances: 'instances',
    database_size_bytes: 'bytes',
    database_size_after_seed_bytes: 'bytes',
    database_growth_bytes: 'bytes',
    database_growth_bytes_per_request: 'bytes/request',
    database_growth_bytes_per_dau_day: 'bytes/user/day',
    ...(peakRssBytes !== undefined ? { app_peak_rss_bytes: 'bytes' } : {}),
  };
  const database = Object.fromEntries(after.tables.map((t) => [`table_bytes:${t.name}`, t.bytes]));
  return { metrics, units, database };
}

/** The dau mix's rows: identities, auction listings and fixed-price listings (the module-cost scenario seeds the same). */
export async function seedMarketplace(url: string, seed: DauScenario['seed']): Promise<Fixture> {
  const tokens = await seedIdentities(url, seed.consumers);
  return {
    tokens,
    listings: await seedListings(url, tokens.seller[0]!, seed.listings, { title: 'Vintage brass lamp', priceCents: 1000, stock: 5 }),
    // Deep stock so checkouts measure the write path, not a sold-out listing.
    fixedListings: await seedListings(url, tokens.seller[0]!, seed.fixedPriceListings ?? 1, { title: 'Desk chair', priceCents: 2500, stock: 100_000 }, 'fixed-price'),
  };
}

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
    const fx = await seedMarketplace(app.url, def.seed);
    const seededSize = await readDatabaseSize(db.url);
    let requestsSent = 0;
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
      requestsSent += r.sent;
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
    // Read while the app still runs: the search's writes (bids, orders, notifications, outbox rows) are all in.
    const size = sizeFigures(seededSize, await readDatabaseSize(db.url), requestsSent, requestsPerDau(def.model), await readProc(app.pid).then((p) => p.peakRssBytes, () => undefined));
    if (generatorLimit !== undefined) notes.push(`At ${generatorLimit}/s the load generator fell behind its own schedule (it shares the machine with the app): the search stopped there, and the capacity is at least the last passing rate, not a measured limit of the app.`);
    if (firstFail === undefined) notes.push(`No step broke the SLO up to ${steps.at(-1)?.offeredRate ?? 0}/s (the profile's limit): the capacity is at least what is reported.`);
    if (!lastPass) notes.push(`Even the first step (${p.startRate}/s) broke the SLO: the capacity is below it and is reported as 0.`);
    notes.push(
      `DAU model: ${def.model.sessionsPerUserPerDay} sessions x ${def.model.requestsPerSession} requests per user per day = ${requestsPerDau(def.model)} requests per DAU; peak-to-mean ${def.model.peakToMean}; safety ${def.model.safetyFactor}. DAU_capacity = ${sustainable} req/s x 86400 / (${requestsPerDau(def.model)} x ${def.model.peakToMean} x ${def.model.safetyFactor}).`,
      `Mix: ${def.mix.map((m) => `${m.name} ${m.weight ?? 1}`).join(', ')} (weights).`,
      'One app process and one PostgreSQL, both on this machine, sharing its cores with the load generator.',
      `Resources at the end of the search (ADR-0014's cost in resources): 1 app instance, 1 database of ${size.metrics.database_size_bytes} bytes (${seededSize.totalBytes} after seeding; ${size.metrics.database_growth_bytes} bytes written by ${requestsSent} requests, warm-up included = ${size.metrics.database_growth_bytes_per_request} bytes/request, x ${requestsPerDau(def.model)} requests per DAU = ${size.metrics.database_growth_bytes_per_dau_day} bytes per active user per day). Sizes are PostgreSQL's pages (8 kB granularity, free space not returned), so small runs read coarse. Largest tables: ${Object.entries(size.database).map(([k, v]) => `${k.slice('table_bytes:'.length)} ${v}`).join(', ')}.${size.metrics.app_peak_rss_bytes !== undefined ? ` App peak RSS (VmHWM): ${size.metrics.app_peak_rss_bytes} bytes.` : ''}`,
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
      ...size.units,
    };
    Object.assign(metrics, size.metrics);
    const appEnv = Object.fromEntries(Object.entries(app.env).filter(([k]) => k !== 'DATABASE_URL'));
    return { targetUrl: app.url, appEnv, steps, database: size.database, metrics, units, notes, interrupted: interrupted || ctx.signal.aborted };
  } finally {
    await app?.stop();
    await db.drop().catch(() => {});
  }
}

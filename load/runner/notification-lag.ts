import pg from 'pg';
import type { NotificationLagScenario } from '../scenarios/schema.js';
import { startApp, type RunningApp } from './app-process.js';
import { dbNowMs, pendingCount, readLag, type LagWindow } from './consumer-lag.js';
import { createDatabase } from './database.js';
import { stepFromOpen, type EvidenceStep } from './evidence.js';
import { seedIdentities, seedListings } from './fixture.js';
import { toSpec } from './http-mix.js';
import { openingBid, type AppFixture } from './http-mix-stream.js';
import { lagRequest, writeTemplate } from './notification-lag-stream.js';
import { runOpenModel } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';
import { stepVerdict } from './slo.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until nothing of the window is pending or `waitMs` has passed; returns what is left and how long it waited. */
async function drain(client: pg.ClientBase, w: LagWindow, waitMs: number, everyMs: number, signal: AbortSignal): Promise<{ pending: number; waitedMs: number }> {
  const start = Date.now();
  let pending = await pendingCount(client, w);
  while (pending > 0 && Date.now() - start < waitMs && !signal.aborted) {
    await sleep(Math.min(everyMs, Math.max(0, waitMs - (Date.now() - start))));
    pending = await pendingCount(client, w);
  }
  return { pending, waitedMs: Date.now() - start };
}

/**
 * One hot auction: bids at a fixed open-model rate on one listing for a bounded time, with the
 * notifications consumer running where the app places it (NOTIFICATIONS_RUN; the app's default,
 * its own relay, unless the definition's appEnv says otherwise). Per event the lag from the
 * event's row in the bid's transaction to the consumer's inbox row (consumer-lag.ts), read from
 * the database: the backlog at the step's end, then up to `drainS` for the consumer to catch up,
 * then every event of the step with its lag (still-pending ones at their age, a lower bound).
 */
export async function runNotificationLag(def: NotificationLagScenario, ctx: RunContext): Promise<ScenarioOutcome> {
  const p = def.profiles[ctx.profile];
  const db = await createDatabase(ctx.adminUrl, 'notification_lag');
  const client = new pg.Client({ connectionString: db.url });
  let app: RunningApp | undefined;
  try {
    app = await startApp({ env: { ...def.appEnv, DATABASE_URL: db.url } });
    const appEnv = Object.fromEntries(Object.entries(app.env).filter(([k]) => k !== 'DATABASE_URL'));
    const placement = app.env.NOTIFICATIONS_RUN ?? 'in-process';
    const tokens = await seedIdentities(app.url, def.seed.consumers);
    const fx: AppFixture = { tokens, listings: await seedListings(app.url, tokens.seller[0]!, 1, def.listing) };
    const write = writeTemplate(def);
    // The opening bid opens the auction row (set-up, as in write-contention); its events are
    // handled before the step starts, so the step begins with no backlog of its own.
    const opening = openingBid(write, fx, 0, def.listing.priceCents);
    await (await fetch(app.url + opening.path, { method: opening.method, headers: { 'content-type': 'application/json', ...opening.headers }, body: opening.body ?? null })).arrayBuffer();
    await client.connect();
    const setUp = await drain(client, { consumer: def.lag.consumer, eventTypes: def.lag.eventTypes, fromMs: 0, toMs: await dbNowMs(client) }, 30_000, p.pollEveryMs, ctx.signal);
    ctx.log(`notification-lag: ${p.rate} bids/s on one auction for ${p.durationS} s at ${app.url} (notifications ${placement})`);

    const fromMs = await dbNowMs(client);
    const bar = ctx.progress(`hot auction ${p.rate}/s`);
    const byStatus: Record<string, number> = {};
    const result = await runOpenModel({
      target: app.url,
      rate: p.rate,
      durationS: p.durationS,
      connections: p.connections,
      signal: ctx.signal,
      next: (n) => toSpec(lagRequest(def, fx, n)),
      observe: (r) => {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      },
      onTick: (t) => bar.update(t.completed, t.planned, t.errors),
    });
    bar.stop();
    const window: LagWindow = { consumer: def.lag.consumer, eventTypes: def.lag.eventTypes, fromMs, toMs: await dbNowMs(client) };
    const atEnd = await pendingCount(client, window);
    const drained = await drain(client, window, p.drainS * 1000, p.pollEveryMs, ctx.signal);
    const lag = await readLag(client, window);
    const s = lag.summary;

    const extra: Record<string, number> = {
      placed: byStatus['201'] ?? 0,
      refused_lower_bid: byStatus['422'] ?? 0,
      events: s.events,
      backlog_at_step_end: atEnd,
      drain_wait_s: Math.round(drained.waitedMs / 100) / 10,
      drained: s.handled,
      undrained: s.pending,
      lag_p50_ms: s.p50Ms,
      lag_p99_ms: s.p99Ms,
      lag_max_ms: s.maxMs,
      handled_per_s: s.handledPerS,
      published_per_s: s.publishedPerS,
      setup_pending: setUp.pending,
    };
    const step: EvidenceStep = stepFromOpen(`hot auction ${p.rate}/s`, { rows: 'hot', notifications: placement }, result, extra, stepVerdict(result, def.slo) === 'pass');
    const metrics: Record<string, number> = {
      notification_lag_p50_ms: s.p50Ms,
      notification_lag_p99_ms: s.p99Ms,
      notification_lag_max_ms: s.maxMs,
      notification_events: s.events,
      notification_backlog_at_step_end: atEnd,
      notification_drained: s.handled,
      notification_undrained: s.pending,
      notification_handled_per_s: s.handledPerS,
      notification_published_per_s: s.publishedPerS,
      bid_p99_ms: result.latency.p99,
      bid_error_rate: result.errors.rate,
    };
    const units: Record<string, string> = {
      notification_lag_p50_ms: 'ms',
      notification_lag_p99_ms: 'ms',
      notification_lag_max_ms: 'ms',
      notification_events: 'events',
      notification_backlog_at_step_end: 'events',
      notification_drained: 'events',
      notification_undrained: 'events',
      notification_handled_per_s: 'events/s',
      notification_published_per_s: 'events/s',
      bid_p99_ms: 'ms',
      bid_error_rate: 'ratio',
    };
    const notes = [
      `Lag per event: from the event's row in the bid's transaction (events.event.published_at, a lower bound of its commit) to the ${def.lag.consumer} consumer's inbox row (events.inbox.handled_at, written in the delivery transaction just before the handler runs), both on PostgreSQL's clock; events of types ${def.lag.eventTypes.join(', ')} published during the step. This is handling, not publication: it holds wherever the consumer runs (notifications ran ${placement}).`,
      `At the step's end ${atEnd} of ${s.events} events were not handled yet; the runner then waited ${extra.drain_wait_s} s (at most ${p.drainS} s) and ${s.pending} were still pending. Pending events count in the percentiles at their age when read, a lower bound of their lag, never left out.`,
      `Consumer throughput over the run: ${s.handledPerS} events/s handled (first event to last handling) against ${s.publishedPerS} events/s published (first to last event) by ${p.rate} bids/s offered on one listing, ${extra.placed} placed (one ordering key: its events are delivered in order, one run at a time).`,
      ...(setUp.pending > 0 ? [`The set-up's own events were not all handled within 30 s (${setUp.pending} pending) when the step started; they delay the step's events.`] : []),
    ];
    return { targetUrl: app.url, appEnv, steps: [step], database: {}, metrics, units, notes, interrupted: result.interrupted || ctx.signal.aborted };
  } finally {
    await client.end().catch(() => {});
    await app?.stop();
    await db.drop().catch(() => {});
  }
}

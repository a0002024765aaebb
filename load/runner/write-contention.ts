import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ContentionScenario } from '../scenarios/schema.js';
import { startApp, type RunningApp } from './app-process.js';
import { runClosedModel } from './closed-model.js';
import { counterDelta, createDatabase, overtakenBids, readSettledCounters, serverMajor, startLockSampler } from './database.js';
import { emptyLatency, stepFromOpen, type EvidenceStep } from './evidence.js';
import { inBatches, seedIdentities, seedListings, type Fixture } from './fixture.js';
import { toSpec } from './http-mix.js';
import { contentionRequest, openingBid, type StreamRequest } from './http-mix-stream.js';
import { runOpenModel } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';
import { stepVerdict } from './slo.js';

type Rows = 'hot' | 'uniform';

const r1 = (v: number) => Math.round(v * 10) / 10;

/** The bidding plans' seed in the generated k6 scripts (k6-generate.ts): hot rows draw with +1, uniform with +2. */
const CONTENTION_SEED = 0;

/**
 * The global stream index of each measured run's first bid, as the generated k6 script numbers
 * them: the opening bids take the first `listings` indexes, then the hot step, the uniform step
 * and the closed-model ceiling follow one another.
 */
export function contentionOffsets(listings: number, p: { rate: number; durationS: number }): Record<'hot' | 'uniform' | 'ceiling', number> {
  const perStep = Math.floor(p.rate * p.durationS);
  return { hot: listings, uniform: listings + perStep, ceiling: listings + 2 * perStep };
}

/**
 * Bid `g` of a write-contention run: the seeded stream of http-mix-stream.ts the generated k6
 * script draws from too (a rising amount by global index; uniform rows pick a listing by seed).
 */
export function contentionBid(def: ContentionScenario, fx: Fixture, rows: Rows, g: number): StreamRequest {
  return contentionRequest(def.write, fx, rows, g, CONTENTION_SEED + (rows === 'hot' ? 1 : 2), def.listing.priceCents);
}

/**
 * For each BID_STRATEGY: bids on one hot listing against bids spread over many (the control),
 * open-model at the same rate, with Postgres's own view alongside (lock waits sampled from
 * pg_stat_activity / pg_locks, commits, rollbacks, deadlocks and conflicts from
 * pg_stat_database); then a closed-model ceiling run on the hot row.
 */
export async function runWriteContention(def: ContentionScenario, ctx: RunContext): Promise<ScenarioOutcome> {
  const p = def.profiles[ctx.profile];
  const steps: EvidenceStep[] = [];
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const database: Record<string, number> = {};
  const notes: string[] = [];
  let targetUrl = '';
  let appEnv: Record<string, string> = {};
  let interrupted = false;

  const strategies = p.strategies ?? def.strategies;
  const uniformRows = p.uniformRows ?? def.uniformRows;
  for (const strategy of strategies) {
    if (ctx.signal.aborted) break;
    const db = await createDatabase(ctx.adminUrl, `contention_${strategy}`);
    let app: RunningApp | undefined;
    const stats = new pg.Client({ connectionString: db.url });
    try {
      app = await startApp({ env: { ...def.appEnv, DATABASE_URL: db.url, BID_STRATEGY: strategy } });
      targetUrl = app.url;
      appEnv = Object.fromEntries(Object.entries(app.env).filter(([k]) => k !== 'DATABASE_URL' && k !== 'BID_STRATEGY'));
      const tokens = await seedIdentities(app.url, def.seed.consumers);
      const listings = await seedListings(app.url, tokens.seller[0]!, uniformRows + 1, def.listing);
      const fx: Fixture = { tokens, listings };
      const hot = listings[0]!;
      const uniform = listings.slice(1);
      const offsets = contentionOffsets(listings.length, p);
      // One bid per listing first: the first bid opens a listing's auction row (and rolls back
      // once to do so), which is set-up, not contention.
      await inBatches(listings.map((_, i) => i), 8, async (i) => {
        const bid = openingBid(def.write, fx, i, def.listing.priceCents);
        const res = await fetch(app!.url + bid.path, { method: bid.method, headers: bid.headers, ...(bid.body !== undefined ? { body: bid.body } : {}) });
        await res.arrayBuffer();
      });
      await stats.connect();
      // The strategy counts its own retries (per app process); the admin route reads the count around each step.
      const admin = await adminToken(app.url, stats);
      ctx.log(`write-contention: ${strategy} at ${app.url}`);
      // Counters are read once PostgreSQL shows all of them (set-up rollbacks included), so
      // nothing of the set-up or of one step is counted in the next. 15+ flushes an idle
      // backend's counters up to ~10 s late; older servers' collector within ~0.5 s.
      const settleMs = p.statsSettleMs ?? ((await serverMajor(stats)) >= 15 ? 11_000 : 1_500);
      const settle = () => readSettledCounters(stats, settleMs);
      let baseline = (await settle()).counters;

      for (const rows of ['hot', 'uniform'] as Rows[]) {
        if (ctx.signal.aborted) break;
        const byStatus: Record<string, number> = {};
        const before = baseline;
        const overtakenBefore = await overtakenBids(stats, rows === 'hot' ? hot : uniform[0]!).catch(() => NaN);
        const retriesBefore = await readRetries(app.url, admin);
        const sampler = startLockSampler(db.url, p.sampleEveryMs);
        const bar = ctx.progress(`${strategy} ${rows}`);
        const result = await runOpenModel({
          target: app.url,
          rate: p.rate,
          durationS: p.durationS,
          connections: p.connections,
          signal: ctx.signal,
          next: (n) => toSpec(contentionBid(def, fx, rows, offsets[rows] + n)),
          observe: (r) => {
            byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
          },
          onTick: (t) => bar.update(t.completed, t.planned, t.errors),
        });
        bar.stop();
        const locks = await sampler.stop();
        const retries = (await readRetries(app.url, admin)) - retriesBefore;
        const after = await settle();
        baseline = after.counters;
        const delta = counterDelta(before, after.counters);
        const overtaken = rows === 'hot' ? (await overtakenBids(stats, hot).catch(() => NaN)) - overtakenBefore : NaN;
        interrupted ||= result.interrupted;
        const placed = byStatus['201'] ?? 0;
        const refused = byStatus['422'] ?? 0;
        const conflicts = byStatus['409'] ?? 0;
        const extra: Record<string, number> = {
          success_per_s: r1(placed / result.durationS),
          // Bids the row decided either way: a refused bid also waited for and held the row.
          decided_per_s: r1((placed + refused) / result.durationS),
          placed,
          refused_lower_bid: refused,
          conflicts_409: conflicts,
          // Counted by the strategy in the app: statements or transactions it ran again.
          retries,
          ...(Number.isFinite(overtaken) ? { overtaken_accepted: overtaken, placed_equal_semantics_per_s: r1((placed - overtaken) / result.durationS) } : {}),
          db_stats_wait_ms: after.waitedMs,
          db_commits: delta.xact_commit,
          db_rollbacks: delta.xact_rollback,
          db_deadlocks: delta.deadlocks,
          db_conflicts: delta.conflicts,
          lock_waiting_avg: locks.samples ? r1(locks.lockWaitingSum / locks.samples) : 0,
          lock_waiting_max: locks.maxLockWaiting,
          lock_wait_share: locks.activeSum ? Math.round((locks.lockWaitingSum / locks.activeSum) * 1000) / 1000 : 0,
          ungranted_locks_max: locks.maxUngranted,
          lock_samples: locks.samples,
        };
        steps.push(stepFromOpen(`${strategy} ${rows}`, { strategy, rows }, result, extra, stepVerdict(result, def.slo) === 'pass'));
        for (const [k, v] of Object.entries({ deadlocks: delta.deadlocks, rollbacks: delta.xact_rollback, commits: delta.xact_commit, conflicts: delta.conflicts })) {
          database[`${strategy.replace(/-/g, '_')}_${rows}_${k}`] = v;
        }
        const key = strategy.replace(/-/g, '_');
        metrics[`${rows}_p99_ms_${key}`] = result.latency.p99;
        metrics[`${rows}_writes_per_s_${key}`] = extra.success_per_s!;
        units[`${rows}_p99_ms_${key}`] = 'ms';
        units[`${rows}_writes_per_s_${key}`] = 'writes/s';
        if (strategy === def.currentStrategy && rows === 'hot') {
          // The p99 counts failed, timed-out and dropped bids as not answered within the
          // timeout, so a hot row that stops answering fires the trigger instead of hiding.
          metrics.hot_row_p99_ms = result.latency.p99;
          metrics.hot_row_error_rate = result.errors.rate;
          units.hot_row_p99_ms = 'ms';
          units.hot_row_error_rate = 'ratio';
        }
      }

      if (p.ceilingDurationS > 0 && !ctx.signal.aborted) {
        const overtakenBefore = await overtakenBids(stats, hot).catch(() => NaN);
        const retriesBefore = await readRetries(app.url, admin);
        const ceiling = await runClosedModel({
          target: app.url,
          connections: p.ceilingConnections,
          durationS: p.ceilingDurationS,
          okStatuses: [201],
          next: (n) => toSpec(contentionBid(def, fx, 'hot', offsets.ceiling + n)),
        });
        const retries = (await readRetries(app.url, admin)) - retriesBefore;
        const perS = r1(ceiling.ok / Math.max(0.001, ceiling.durationS));
        const overtaken = (await overtakenBids(stats, hot).catch(() => NaN)) - overtakenBefore;
        // Placed bids that no higher stored bid preceded: the ceiling at the ordering a locking strategy guarantees.
        const equalPerS = Number.isFinite(overtaken) ? r1((ceiling.ok - overtaken) / Math.max(0.001, ceiling.durationS)) : undefined;
        // 32 clients bidding at once on one auction send many bids that are already too low
        // when their turn comes: each still took the row and got an answer. Bids answered per
        // second is the row's capacity; placed per second also depends on the bidding pattern.
        const answeredPerS = r1((ceiling.ok + (ceiling.byStatus['422'] ?? 0)) / Math.max(0.001, ceiling.durationS));
        // A 422 is a bid that lost the race to a higher one: an answer, not an error.
        const errors = ceiling.requests - ceiling.ok - (ceiling.byStatus['422'] ?? 0) + ceiling.errors;
        steps.push({
          label: `${strategy} hot ceiling`,
          labels: { strategy, rows: 'hot', run: 'ceiling' },
          model: 'closed',
          offeredRate: null,
          achievedRate: r1(ceiling.requests / Math.max(0.001, ceiling.durationS)),
          durationS: ceiling.durationS,
          requests: ceiling.requests,
          errors: { total: errors, rate: ceiling.requests ? Math.round((errors / ceiling.requests) * 1e5) / 1e5 : 0, byKind: Object.fromEntries(Object.entries(ceiling.byStatus).filter(([c]) => c !== '201' && c !== '422').map(([c, v]) => [`http_${c}`, v])) },
          latency: { ...emptyLatency, count: ceiling.requests, p50: ceiling.latency.p50, p90: ceiling.latency.p90, p99: ceiling.latency.p99, max: ceiling.latency.max, mean: ceiling.latency.mean },
          extra: { success_per_s: perS, decided_per_s: answeredPerS, refused_lower_bid: ceiling.byStatus['422'] ?? 0, retries, connections: ceiling.connections, ...(equalPerS !== undefined ? { overtaken_accepted: overtaken, placed_equal_semantics_per_s: equalPerS } : {}) },
        });
        const key = strategy.replace(/-/g, '_');
        metrics[`hot_ceiling_writes_per_s_${key}`] = answeredPerS;
        metrics[`hot_ceiling_placed_per_s_${key}`] = perS;
        units[`hot_ceiling_writes_per_s_${key}`] = 'writes/s';
        units[`hot_ceiling_placed_per_s_${key}`] = 'bids/s';
        if (equalPerS !== undefined) {
          metrics[`hot_ceiling_placed_equal_semantics_per_s_${key}`] = equalPerS;
          units[`hot_ceiling_placed_equal_semantics_per_s_${key}`] = 'bids/s';
        }
        if (strategy === def.currentStrategy) {
          metrics.hot_row_ceiling_writes_per_s = answeredPerS;
          units.hot_row_ceiling_writes_per_s = 'writes/s';
        }
      }
    } finally {
      await stats.end().catch(() => {});
      await app?.stop();
      await db.drop().catch(() => {});
    }
  }
  notes.push(...verdictNotes({ ...def, strategies, uniformRows }, metrics));
  notes.push(
    'Placed bids are 201s; 422 is a bid that lost the race to a higher one (a correct answer, not a failure); 409 is a strategy giving up after its retries.',
    `Database counters are pg_stat_database deltas read after waiting PostgreSQL's flush interval (db_stats_wait_ms), so set-up and earlier steps do not leak in; db_rollbacks are PostgreSQL's rollbacks (refused bids roll back too), not retries.`,
    'retries: statements or transactions the bid strategy ran again during the step, counted by the strategy in the app process and read from its admin route (GET /api/admin/bidding/metrics) before and after the step; row-lock never retries, optimistic re-runs a transaction whose version changed, append-only and conditional-update re-run a statement whose snapshot predated the auction row (at most 3 tries). A bid still in flight when a step ends counts in the next.',
    'overtaken_accepted: bids stored although a higher bid on the listing was stored before them (append-only accepts these, the locking strategies refuse them with 422); placed_equal_semantics_per_s leaves them out, which compares strategies at the ordering row-lock guarantees.',
  );
  return { targetUrl, appEnv, steps, database, metrics, units, notes, interrupted: interrupted || ctx.signal.aborted };
}

/**
 * An admin session on the run's own throwaway database. Admins are made only by admins and
 * the run's app has none, so the runner grants the role in SQL to a user it signed up.
 */
async function adminToken(base: string, db: pg.Client): Promise<string> {
  const email = `load-admin-${randomBytes(5).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`write-contention: POST ${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as { token?: string };
  };
  await post('/api/public/users', { email, password, displayName: 'load admin', roles: ['consumer'] });
  await db.query(`UPDATE identity.users SET roles = ARRAY['admin'] WHERE email = $1`, [email]);
  return (await post('/api/public/sessions', { email, password, context: 'admin' })).token!;
}

/** The bid strategy's own retry count in the app process (since it started), from bidding's admin route. */
async function readRetries(base: string, token: string): Promise<number> {
  const res = await fetch(`${base}/api/admin/bidding/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`write-contention: GET /api/admin/bidding/metrics answered ${res.status}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { retries: number }).retries;
}

/** Says plainly, from the numbers, what extraction would and would not change. */
function verdictNotes(def: ContentionScenario, m: Record<string, number>): string[] {
  const out: string[] = [];
  const key = (s: string) => s.replace(/-/g, '_');
  const cur = key(def.currentStrategy);
  const hot = m[`hot_writes_per_s_${cur}`];
  const uni = m[`uniform_writes_per_s_${cur}`];
  if (hot !== undefined && uni !== undefined) {
    out.push(`With ${def.currentStrategy}, one hot listing took ${hot} bids/s against ${uni} bids/s spread over ${def.uniformRows} listings at the same offered rate (hot p99 ${m[`hot_p99_ms_${cur}`]} ms, uniform p99 ${m[`uniform_p99_ms_${cur}`]} ms).`);
  }
  const ceilings = def.strategies.map((s) => [s, m[`hot_ceiling_writes_per_s_${key(s)}`]] as const).filter((e): e is readonly [string, number] => e[1] !== undefined);
  if (ceilings.length) {
    const best = ceilings.reduce((a, b) => (b[1] > a[1] ? b : a));
    const current = ceilings.find(([s]) => s === def.currentStrategy);
    out.push(`Hot-row ceiling (closed model, bids answered per second, placed or refused as too low) per strategy: ${ceilings.map(([s, v]) => `${s} ${v}/s (${m[`hot_ceiling_placed_per_s_${key(s)}`]}/s placed)`).join(', ')}.`);
    if (current && best[0] !== current[0] && best[1] > current[1] * 1.2) {
      out.push(`Changing the data model (${best[0]}) raised the single-listing ceiling ${r1(best[1] / Math.max(0.1, current[1]))}x over ${current[0]} in the same process and database.`);
    }
  }
  out.push('Would extraction help? Not with this: a bidding service in front of the same table serialises on the same row lock, so one row\'s ceiling stays where it is; only the write model (append-only bids, conditional updates, sharded counters) moves it, and that works inside the monolith too.');
  return out;
}

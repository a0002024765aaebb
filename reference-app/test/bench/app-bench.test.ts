import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBareServer, BARE_CONSUMER, type BareServer } from '../../bench/bare-server.js';
import { compareWorkload, describeWorkload, type ComparePlan, type Target } from '../../bench/app/compare.js';
import { bidWrite, listingRead, seedBench } from '../../bench/app/workloads.js';
import { bearer, createListing, startTestApp, TEST_TOKEN_SECRET, userWithToken, type TestApp, type TestUser } from '../helpers/test-app.js';

/*
 * npm run bench:app compares the app with a bare server that is meant to run the same SQL for
 * the same two requests. Here both serve one database and must answer alike (statuses and
 * success bodies) and leave alike rows; then the bench's plumbing runs once at a tiny rate and
 * the report's shape is checked, never its numbers (nothing here is timed).
 */
let t: TestApp;
let bare: BareServer;
let seller: TestUser;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  bare = buildBareServer({ databaseUrl: t.db.url, tokenSecret: TEST_TOKEN_SECRET });
  await bare.ready();
  [seller, alice, bob] = await Promise.all([userWithToken(t.app, 'seller'), userWithToken(t.app, 'consumer'), userWithToken(t.app, 'consumer')]);
});

afterAll(async () => {
  await bare?.close();
  await t?.close();
});

const both = async (opts: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: unknown }) => {
  const a = await t.app.inject(opts as never);
  const b = await bare.inject(opts as never);
  return { app: a, bare: b };
};
const bid = (listingId: string, user: TestUser | undefined, amountCents: unknown, server: 'app' | 'bare') =>
  (server === 'app' ? t.app : bare).inject({ method: 'POST', url: `/api/consumer/listings/${listingId}/bids`, headers: user ? bearer(user.token) : {}, payload: { amountCents } });

describe('the bare server answers like the app', () => {
  it('listing read: same body for a listing, same status for unknown and malformed ids', async () => {
    const listing = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1, description: 'a lamp' });
    const found = await both({ method: 'GET', url: `/api/public/listings/${listing.id}` });
    expect(found.app.statusCode).toBe(200);
    expect(found.bare.statusCode).toBe(200);
    expect(found.bare.json()).toEqual(found.app.json());
    const missing = await both({ method: 'GET', url: '/api/public/listings/00000000-0000-4000-8000-000000000000' });
    expect([missing.app.statusCode, missing.bare.statusCode]).toEqual([404, 404]);
    const malformed = await both({ method: 'GET', url: '/api/public/listings/not-a-uuid' });
    expect([malformed.app.statusCode, malformed.bare.statusCode]).toEqual([400, 400]);
  });

  it('bid write: each takes the lead from the other, refuses the same bids, and writes the same rows', async () => {
    const { id } = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    // The bare server opens the auction on the first bid, as the app does.
    const first = await bid(id, alice, 1_500, 'bare');
    expect(first.statusCode).toBe(201);
    const second = await bid(id, bob, 1_600, 'app');
    expect(second.statusCode).toBe(201);
    expect(second.json().overtookBidId).toBe(first.json().bid.id);
    const third = await bid(id, alice, 1_700, 'bare');
    expect(third.statusCode).toBe(201);
    expect(third.json().overtookBidId).toBe(second.json().bid.id);
    expect(Object.keys(third.json().bid).sort()).toEqual(Object.keys(second.json().bid).sort());
    expect(third.json().bid).toMatchObject({ listingId: id, bidderId: alice.id, amountCents: 1_700, status: 'leading' });

    for (const [label, user, amount] of [['not higher', bob, 1_700], ['malformed', bob, 'lots'], ['no token', undefined, 1_800], ['seller token', seller, 1_800]] as const) {
      const [a, b] = [await bid(id, user, amount, 'app'), await bid(id, user, amount, 'bare')];
      expect(b.statusCode, label).toBe(a.statusCode);
      expect(a.statusCode, label).toBeGreaterThanOrEqual(400);
    }
    const fixed = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 1_000, stock: 3 });
    expect([(await bid(fixed.id, bob, 2_000, 'app')).statusCode, (await bid(fixed.id, bob, 2_000, 'bare')).statusCode]).toEqual([422, 422]);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect([(await bid(unknown, bob, 2_000, 'app')).statusCode, (await bid(unknown, bob, 2_000, 'bare')).statusCode]).toEqual([404, 404]);

    const auction = await t.app.pool.query('SELECT current_price_cents, bid_count, leading_bidder_id, version, status FROM bidding.auctions WHERE listing_id = $1', [id]);
    expect(auction.rows[0]).toMatchObject({ current_price_cents: '1700', bid_count: 3, leading_bidder_id: alice.id, version: 3, status: 'open' });
    const bids = await t.app.pool.query<{ amount_cents: string; status: string }>('SELECT amount_cents, status FROM bidding.bids WHERE listing_id = $1 ORDER BY amount_cents', [id]);
    expect(bids.rows.map((r) => `${r.amount_cents} ${r.status}`)).toEqual(['1500 outbid', '1600 outbid', '1700 leading']);
    // Every bid wrote bid.placed, and every overtaking bid by someone else bid.outbid, with the
    // same payload fields; only the consumer differs (the bare server's rows are never delivered).
    const events = await t.app.pool.query<{ type: string; keys: string[]; consumer: string }>(
      `SELECT e.type, ARRAY(SELECT jsonb_object_keys(e.payload) ORDER BY 1) AS keys, p.consumer
         FROM events.event e JOIN events.publication p ON p.event_id = e.id WHERE e.key = $1 ORDER BY p.id`,
      [id],
    );
    expect(events.rows.map((r) => `${r.type} ${r.consumer}`)).toEqual([
      `bid.placed ${BARE_CONSUMER}`,
      'bid.placed notifications',
      'bid.outbid notifications',
      `bid.placed ${BARE_CONSUMER}`,
      `bid.outbid ${BARE_CONSUMER}`,
    ]);
    const keysOf = (type: string, consumer: string) => events.rows.find((r) => r.type === type && r.consumer === consumer)!.keys;
    for (const type of ['bid.placed', 'bid.outbid']) expect(keysOf(type, BARE_CONSUMER)).toEqual(keysOf(type, 'notifications'));
  });
});

describe('the bare server runs the app\'s SQL', () => {
  const VERSION_LOOKUP = 'SELECT token_version FROM identity.users WHERE id = $1';

  /** Every statement text sent through pg while `work` runs, whitespace collapsed. */
  async function statements(work: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = client.query;
    client.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
      const text = typeof config === 'string' ? config : (config as { text?: string }).text ?? '';
      const statement = text.replace(/\s+/g, ' ').trim();
      // The token-version lookup is cached 2 s per user in both servers; whether a call hits the
      // cache depends on the clock, so it is left out here and its text compared in the sources.
      // The app's outbox pruning (every 60 s) is no part of a request either.
      if (statement !== VERSION_LOOKUP && !statement.startsWith('DELETE FROM events.')) seen.push(statement);
      return original.call(this, config, ...rest);
    };
    try {
      await work();
    } finally {
      client.query = original;
    }
    return seen;
  }

  it('the same token-version lookup', async () => {
    const source = (file: string) => readFile(new URL(file, import.meta.url), 'utf8');
    expect(await source('../../src/modules/identity/infrastructure/pg-user-repository.ts')).toContain(`'${VERSION_LOOKUP}'`);
    expect(await source('../../bench/bare-server.ts')).toContain(`'${VERSION_LOOKUP}'`);
  });

  it('the same statements in the same order for a listing read and a placed bid', async () => {
    const { id } = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    expect((await bid(id, alice, 1_300, 'app')).statusCode).toBe(201);

    const read = (server: 'app' | 'bare') => statements(() => (server === 'app' ? t.app : bare).inject({ method: 'GET', url: `/api/public/listings/${id}` }));
    const appRead = await read('app');
    expect(appRead).toHaveLength(1);
    expect(await read('bare')).toEqual(appRead);

    const write = async (server: 'app' | 'bare', amountCents: number) => {
      let status = 0;
      const sql = await statements(async () => {
        status = (await bid(id, bob, amountCents, server)).statusCode;
      });
      expect(status).toBe(201);
      return sql;
    };
    const appWrite = await write('app', 1_400);
    expect(appWrite[0]).toBe('BEGIN');
    expect(appWrite.at(-1)).toBe('COMMIT');
    expect(appWrite).toHaveLength(6);
    expect(await write('bare', 1_500)).toEqual(appWrite);

    // A refused bid: the UPDATE changes nothing, the refusal read explains why, rollback.
    const refused = async (server: 'app' | 'bare') => statements(() => bid(id, bob, 1_000, server));
    const appRefused = await refused('app');
    expect(appRefused.at(-1)).toBe('ROLLBACK');
    expect(await refused('bare')).toEqual(appRefused);
  });
});

describe('the bench plumbing at a tiny rate', () => {
  it('alternates the app and two baselines and reports every side, the ratios per baseline and the table', async () => {
    const appUrl = (await t.app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
    const inline = buildBareServer({ databaseUrl: t.db.url, tokenSecret: TEST_TOKEN_SECRET, mode: 'inline' });
    const inlineUrl = await inline.listen({ host: '127.0.0.1', port: 0 });
    const fx = await seedBench(appUrl, { consumers: 2, listings: 3 });
    const targets: { app: Target; baselines: Target[] } = {
      app: { name: 'app', url: appUrl },
      baselines: [{ name: 'bare-inline', url: inlineUrl, description: 'inline' }, { name: 'bare', url: bareUrl }],
    };
    const plan: ComparePlan = {
      search: { startRate: 20, stepFactor: 2, maxRate: 20, maxSteps: 1, refineSteps: 0 },
      slo: { p99Ms: 500, maxErrorRate: 0.001 },
      fixedRate: 20,
      fixedPairs: 1,
      stepDurationS: 0.25,
      warmupS: 0,
      connections: 2,
      pauseMs: 0,
      retryBehind: 0,
    };
    const offset = { n: 0 };
    const lines: string[] = [];
    const signal = new AbortController().signal;
    try {
      for (const workload of [listingRead(fx), bidWrite(fx)]) {
        const r = await compareWorkload(targets, workload, plan, { signal, log: (l) => lines.push(l), offset });
        expect(r.workload).toBe(workload.name);
        expect(r.steps.map((s) => `${s.phase} ${s.target}`)).toEqual(['fixed app', 'fixed bare-inline', 'fixed bare', 'search app', 'search bare-inline', 'search bare']);
        expect(r.baselines.map((b) => b.name)).toEqual(['bare-inline', 'bare']);
        for (const side of [r.app, ...r.baselines.map((b) => b.figures)]) {
          expect(side).toMatchObject({ sustainableRate: expect.any(Number), atLeast: expect.any(Boolean) });
          expect(side.fixed).toMatchObject({ count: 5, p50: expect.any(Number), p99: expect.any(Number), errorRate: expect.any(Number), serverCpuMsPerRequest: null });
        }
        for (const b of r.baselines) expect(Object.keys(b.ratios).sort()).toEqual(['p99AtFixedRate', 'sustainableRate', 'sustainableRateMeasured']);
        const table = describeWorkload(r).join('\n');
        expect(table).toMatch(/\| figure \| app \| bare-inline \| bare \| app\/bare-inline \| app\/bare \|/);
        expect(table).toMatch(/sustainable rate[\s\S]*p99 at 20\/s[\s\S]*bare-inline \(primary\): inline/);
      }
    } finally {
      await inline.close();
    }
    // 2 workloads x 6 steps x 5 requests, each request number used once across the three targets.
    expect(offset.n).toBe(60);
    expect(lines).toHaveLength(12);
    // Every bid the stream sent was answered (placed, or refused as overtaken) by one of the two.
    const { rows } = await t.app.pool.query<{ n: string }>('SELECT count(*) AS n FROM bidding.bids WHERE listing_id = ANY($1::uuid[])', [fx.listings]);
    expect(Number(rows[0]!.n)).toBeGreaterThan(fx.listings.length);
  });
});

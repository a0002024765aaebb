import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createListing, startTestApp, userWithToken, type TestApp } from '../helpers/test-app.js';
import { drive, eventually, misbehaved, type Market } from './traffic.js';

/*
 * Connections die under the app while it serves: pg_terminate_backend on this test's own
 * database's backends (never anyone else's), again and again, during bounded loopback traffic
 * with the relay running. Before the fix the first terminated checked-out client emitted an
 * unhandled `error` and the process exited.
 */
let t: TestApp;
let market: Market;
const uncaught: unknown[] = [];
const recordUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', recordUncaught);
  t = await startTestApp({ relay: true, poolMax: 8 });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const seller = await userWithToken(t.app, 'seller');
  const consumers = await Promise.all(Array.from({ length: 4 }, () => userWithToken(t.app, 'consumer')));
  const auction = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
  const fixed = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 500, stock: 10_000 });
  market = { baseUrl: address, consumers, auctionId: auction.id, fixedId: fixed.id };
});
afterAll(async () => {
  process.off('uncaughtException', recordUncaught);
  await t?.close();
});

it('survives backends terminated mid-traffic: no crash, no 500, nothing acknowledged lost, service resumes', async () => {
  const admin = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  let terminated = 0;
  let trafficDone = false;
  const killer = (async () => {
    // Bounded: at most 200 rounds, one every 60 ms so writes also get through between them, and only while the traffic runs.
    for (let round = 0; round < 200 && !trafficDone; round++) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle'`,
        [t.db.name],
      );
      terminated += rows[0]!.n;
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
  })();
  const answers = await drive(market, 450, 8);
  trafficDone = true;
  await killer;
  await admin.end();

  const count = (s: number) => answers.filter((a) => a.status === s).length;
  process.stdout.write(
    `connection loss: ${terminated} backends terminated; answers 201=${count(201)} 200=${count(200)} 503=${count(503)} 422=${count(422)} 409=${count(409)}\n`,
  );
  expect(terminated, 'the test must really have killed busy backends').toBeGreaterThan(0);
  expect(uncaught.map(String)).toEqual([]);
  expect(misbehaved(answers)).toEqual([]);

  // Service resumes: ready again, and a new write succeeds.
  expect(await eventually(async () => (await fetch(`${market.baseUrl}/ready`)).status === 200)).toBe(true);
  const after = await drive(market, 6, 1);
  expect(after.filter((a) => a.status === 201).length).toBeGreaterThan(0);
  expect(misbehaved(after)).toEqual([]);

  // Nothing acknowledged is lost: every 201 names a row that is stored.
  const acknowledged = [...answers, ...after].filter((a) => a.status === 201);
  const bidIds = acknowledged.filter((a) => a.kind === 'bid').map((a) => a.id!);
  const orderIds = acknowledged.filter((a) => a.kind === 'checkout').map((a) => a.id!);
  const storedBids = await t.app.pool.query('SELECT count(*)::int AS n FROM bidding.bids WHERE id = ANY($1::uuid[])', [bidIds]);
  const storedOrders = await t.app.pool.query('SELECT count(*)::int AS n FROM orders.orders WHERE id = ANY($1::uuid[])', [
    orderIds,
  ]);
  expect(storedBids.rows[0].n).toBe(bidIds.length);
  expect(storedOrders.rows[0].n).toBe(orderIds.length);
  expect(uncaught.map(String)).toEqual([]);
});

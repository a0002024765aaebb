import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build, type App } from '../../src/app.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/runtime/embedded-postgres.js';
import { createListing, TEST_TOKEN_SECRET, userWithToken } from '../helpers/test-app.js';
import { drive, eventually, misbehaved, type Market } from './traffic.js';

/*
 * The whole database goes away under traffic and comes back. The shared test server must not
 * be stopped (other files use it), so this file starts a throw-away embedded PostgreSQL of its
 * own, stops it while requests run, and starts it again on the same folder and port.
 */
let dataRoot: string;
let database: EmbeddedDatabase;
let app: App;
let market: Market;
const uncaught: unknown[] = [];
const recordUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', recordUncaught);
  dataRoot = await mkdtemp(join(tmpdir(), 'archfit-fault-'));
  database = await startEmbeddedPostgres({ dataRoot });
  app = await build({ databaseUrl: database.url, tokenSecret: TEST_TOKEN_SECRET, relay: true, poolMax: 6 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const seller = await userWithToken(app, 'seller');
  const consumers = await Promise.all(Array.from({ length: 3 }, () => userWithToken(app, 'consumer')));
  const auction = await createListing(app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
  const fixed = await createListing(app, seller, { kind: 'fixed-price', priceCents: 500, stock: 10_000 });
  market = { baseUrl: address, consumers, auctionId: auction.id, fixedId: fixed.id };
}, 180_000);

afterAll(async () => {
  process.off('uncaughtException', recordUncaught);
  await app?.close();
  await database?.stop();
  await rm(dataRoot, { recursive: true, force: true });
});

it('answers 503 + Retry-After while the database is down, keeps running, and serves again once it is back', async () => {
  const before = await drive(market, 30, 4);
  expect(misbehaved(before)).toEqual([]);

  // Stop the database while requests are in flight.
  const during = drive(market, 60, 4);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await database.stop();
  const whileDown = await drive(market, 12, 3);
  const inFlight = await during;
  expect(misbehaved([...inFlight, ...whileDown])).toEqual([]);
  // Every write while it is down is refused with 503 problem+json and Retry-After (never 500).
  const downWrites = whileDown.filter((a) => a.kind !== 'browse');
  expect(downWrites.map((a) => a.status)).toEqual(downWrites.map(() => 503));
  expect((await fetch(`${market.baseUrl}/ready`)).status).toBe(503);
  expect((await fetch(`${market.baseUrl}/health`)).status).toBe(200);

  database = await startEmbeddedPostgres({ dataRoot, port: database.port });
  expect(await eventually(async () => (await fetch(`${market.baseUrl}/ready`)).status === 200)).toBe(true);
  const after = await drive(market, 30, 4);
  expect(misbehaved(after)).toEqual([]);
  expect(after.filter((a) => a.kind !== 'browse' && a.status === 201).length).toBeGreaterThan(0);

  // Every write acknowledged before, during and after the outage is stored.
  const acknowledged = [...before, ...inFlight, ...whileDown, ...after].filter((a) => a.status === 201);
  const bids = acknowledged.filter((a) => a.kind === 'bid').map((a) => a.id!);
  const orders = acknowledged.filter((a) => a.kind === 'checkout').map((a) => a.id!);
  const stored = await app.pool.query<{ bids: number; orders: number }>(
    `SELECT (SELECT count(*)::int FROM bidding.bids WHERE id = ANY($1::uuid[])) AS bids,
            (SELECT count(*)::int FROM orders.orders WHERE id = ANY($2::uuid[])) AS orders`,
    [bids, orders],
  );
  expect(stored.rows[0]).toEqual({ bids: bids.length, orders: orders.length });
  expect(uncaught.map(String)).toEqual([]);
});

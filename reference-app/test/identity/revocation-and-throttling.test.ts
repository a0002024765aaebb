import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeBid } from '../helpers/marketplace.js';
import {
  bearer,
  createListing,
  problemOf,
  startTestApp,
  userWithToken,
  type TestApp,
  type TestUser,
} from '../helpers/test-app.js';
import { eventually } from '../fault/traffic.js';

/*
 * Tokens used to outlive their user (201 on bids an hour after the row was deleted), there
 * was no way to log out everywhere or delete an account, and logins were never throttled.
 */
let t: TestApp;
let seller: TestUser;

beforeAll(async () => {
  t = await startTestApp({ loginLimits: { perIp: 1_000, perAccount: 3, windowMs: 60_000 } });
  seller = await userWithToken(t.app, 'seller');
});
afterAll(async () => t?.close());

const PASSWORD = 'correct horse battery staple';

async function guardedCalls(consumer: TestUser, sellerUser: TestUser, auctionId: string) {
  const bid = await placeBid(t.app, consumer, auctionId, 5_000 + Math.floor(Math.random() * 1000));
  const orders = await t.app.inject({ method: 'GET', url: '/api/consumer/orders', headers: bearer(consumer.token) });
  const listing = await t.app.inject({
    method: 'POST',
    url: '/api/seller/listings',
    headers: bearer(sellerUser.token),
    payload: { title: 'after deletion', kind: 'fixed-price', priceCents: 100, stock: 1 },
  });
  return [bid.statusCode, orders.statusCode, listing.statusCode];
}

describe('token revocation', () => {
  it('refuses the tokens of a user whose row was deleted behind the app (within the cache time)', async () => {
    const consumer = await userWithToken(t.app, 'consumer');
    const doomedSeller = await userWithToken(t.app, 'seller');
    const auction = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    expect(await guardedCalls(consumer, doomedSeller, auction.id)).toEqual([201, 200, 201]);
    await t.app.pool.query('DELETE FROM identity.users WHERE id = ANY($1::uuid[])', [[consumer.id, doomedSeller.id]]);
    // The version cache lives 2 s; bounded wait, no timing assertion: it must become 401 for all three.
    expect(
      await eventually(async () => (await guardedCalls(consumer, doomedSeller, auction.id)).every((s) => s === 401), 60, 100),
    ).toBe(true);
  });

  it('logs out everywhere at once: old tokens 401, a new login works', async () => {
    const consumer = await userWithToken(t.app, 'consumer');
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/public/sessions',
      payload: { email: consumer.email, password: PASSWORD, context: 'consumer' },
    });
    const otherToken = second.json<{ token: string }>().token;
    const revoke = await t.app.inject({ method: 'POST', url: '/api/consumer/sessions/revocation', headers: bearer(consumer.token) });
    expect(revoke.statusCode, revoke.body).toBe(204);
    for (const token of [consumer.token, otherToken]) {
      const me = await t.app.inject({ method: 'GET', url: '/api/consumer/me', headers: bearer(token) });
      expect(me.statusCode).toBe(401);
      expect(problemOf(me).detail).toContain('revoked');
    }
    const fresh = await userWithTokenAgain(consumer);
    expect((await t.app.inject({ method: 'GET', url: '/api/consumer/me', headers: bearer(fresh) })).statusCode).toBe(200);
  });

  it('deletes an account only with the password; its tokens die at once, its bids stay as records', async () => {
    const consumer = await userWithToken(t.app, 'consumer');
    const auction = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    expect((await placeBid(t.app, consumer, auction.id, 2_000)).statusCode).toBe(201);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/consumer/account/deletion',
      headers: bearer(consumer.token),
      payload: { password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    const deleted = await t.app.inject({
      method: 'POST',
      url: '/api/consumer/account/deletion',
      headers: bearer(consumer.token),
      payload: { password: PASSWORD },
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await placeBid(t.app, consumer, auction.id, 3_000)).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/public/sessions',
      payload: { email: consumer.email, password: PASSWORD, context: 'consumer' },
    });
    expect(login.statusCode).toBe(401);
    const user = await t.app.pool.query('SELECT 1 FROM identity.users WHERE id = $1', [consumer.id]);
    expect(user.rowCount).toBe(0);
    const bids = await t.app.pool.query('SELECT amount_cents FROM bidding.bids WHERE bidder_id = $1', [consumer.id]);
    expect(bids.rows).toEqual([{ amount_cents: '2000' }]);
  });
});

async function userWithTokenAgain(user: TestUser): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/public/sessions',
    payload: { email: user.email, password: PASSWORD, context: 'consumer' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ token: string }>().token;
}

describe('login throttling', () => {
  it('answers 429 problem+json with Retry-After once an account has had its attempts; other accounts still log in', async () => {
    const victim = await userWithToken(t.app, 'consumer');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/public/sessions',
        remoteAddress: `10.0.0.${i + 1}`,
        payload: { email: victim.email.toUpperCase(), password: 'wrong password', context: 'consumer' },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(problemOf(response).type).toBe('/problems/too-many-requests');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    // userWithToken used one attempt; two more wrong ones are allowed, then every try is refused.
    expect(statuses).toEqual([401, 401, 429, 429, 429]);
    const other = await userWithToken(t.app, 'consumer');
    expect(other.token).toBeTruthy();
  });

  it('limits attempts per client address across accounts', async () => {
    const strict = await startTestApp({ loginLimits: { perIp: 4, perAccount: 100, windowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await strict.app.inject({
          method: 'POST',
          url: '/api/public/sessions',
          remoteAddress: '203.0.113.9',
          payload: { email: `nobody${i}@test.archfit.dev`, password: 'whatever password', context: 'consumer' },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      const elsewhere = await strict.app.inject({
        method: 'POST',
        url: '/api/public/sessions',
        remoteAddress: '203.0.113.10',
        payload: { email: 'nobody@test.archfit.dev', password: 'whatever password', context: 'consumer' },
      });
      expect(elsewhere.statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });
});

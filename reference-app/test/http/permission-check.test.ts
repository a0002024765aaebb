import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTokenService } from '../../src/shared/auth/tokens.js';
import { bearer, createListing, problemOf, startTestApp, TEST_TOKEN_SECRET, userWithToken, type TestApp } from '../helpers/test-app.js';

/*
 * The permission check on its own. auth-matrix refuses a token lacking a permission whose
 * subject does not exist, which the revocation check would refuse too (401) if the permission
 * check were gone. Here the subject is a real, current user of the right context: only the
 * permission check stands between the token and the write.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

it("refuses a real user's token that lacks the route permission (403), and nothing is written", async () => {
  const seller = await userWithToken(t.app, 'seller');
  const consumer = await userWithToken(t.app, 'consumer');
  const auction = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
  const { token } = createTokenService({ secret: TEST_TOKEN_SECRET }).issue({
    sub: consumer.id,
    ctx: 'consumer',
    perms: ['bids:read'],
  });
  // The token is otherwise good: the routes its permission covers answer it.
  expect((await t.app.inject({ method: 'GET', url: '/api/consumer/bids', headers: bearer(token) })).statusCode).toBe(200);

  const response = await t.app.inject({
    method: 'POST',
    url: `/api/consumer/listings/${auction.id}/bids`,
    headers: bearer(token),
    payload: { amountCents: 2_000 },
  });
  expect(response.statusCode, response.body).toBe(403);
  expect(problemOf(response).detail).toContain('bids:write');
  const { rows } = await t.app.pool.query('SELECT count(*)::int AS n FROM bidding.bids WHERE listing_id = $1', [auction.id]);
  expect(rows[0].n).toBe(0);
});

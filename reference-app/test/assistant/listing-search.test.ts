import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { build, type App } from '../../src/app.js';
import { createTokenService } from '../../src/shared/auth/tokens.js';
import { userToken } from './support/users.js';

const SECRET = 'listing-search-secret-at-least-32-characters';
const tokens = createTokenService({ secret: SECRET });

describe('seller assistant: search my listings (assistant -> catalog through its public service)', () => {
  let db: TestDatabase;
  let app: App;
  let me = '';
  const someoneElse = randomUUID();
  let sellerToken = '';
  let consumerToken = '';

  beforeAll(async () => {
    db = await createTestDatabase('assistant_search');
    app = await build({ databaseUrl: db.url, tokenSecret: SECRET, relay: false, docs: false, assistant: { mode: 'inline', cost: 2, poolThreads: 1 } });
    await app.ready();
    ({ id: me, token: sellerToken } = await userToken(app, tokens, 'seller', ['assistant:use']));
    consumerToken = (await userToken(app, tokens, 'consumer', ['assistant:use'])).token;
    const listing = (sellerId: string, title: string, description: string) =>
      app.listings.create({ sellerId, title, description, kind: 'fixed-price', priceCents: 1000, stock: 1 });
    await listing(me, 'Steel road bike 54 cm', 'Shimano 105, new tyres');
    await listing(me, 'Oak dining table', 'Seats six, solid oak');
    await listing(me, 'Leather armchair', 'Brown leather, some wear');
    await listing(someoneElse, 'Steel road bike 56 cm', 'Campagnolo, like new');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('ranks only the caller\'s own listings, most similar first', async () => {
    const token = sellerToken;
    const res = await app.inject({
      method: 'POST',
      url: '/api/seller/assistant/listings/search',
      headers: { authorization: `Bearer ${token}` },
      payload: { query: 'road bike with steel frame', limit: 2 },
    });
    expect(res.statusCode).toBe(200);
    const { results } = res.json() as { results: Array<{ title: string; score: number }> };
    expect(results).toHaveLength(2);
    expect(results[0]!.title).toBe('Steel road bike 54 cm');
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(results.map((r) => r.title)).not.toContain('Steel road bike 56 cm');
  });

  it('a consumer token is refused (403) and bad input is 400 problem+json', async () => {
    const consumer = consumerToken;
    const forbidden = await app.inject({
      method: 'POST',
      url: '/api/seller/assistant/listings/search',
      headers: { authorization: `Bearer ${consumer}` },
      payload: { query: 'bike' },
    });
    expect(forbidden.statusCode).toBe(403);
    const seller = sellerToken;
    const bad = await app.inject({
      method: 'POST',
      url: '/api/seller/assistant/listings/search',
      headers: { authorization: `Bearer ${seller}` },
      payload: { query: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});

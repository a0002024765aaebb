import { connect, type Socket } from 'node:net';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STOCK } from '../../src/modules/catalog/domain/listing.js';
import { markAuthScope } from '../../src/shared/auth/route-declarations.js';
import { contextOfPath, documentedOperations, fillPath, type DocumentedOperation } from '../helpers/openapi.js';
import {
  bearer,
  createListing,
  problemOf,
  startTestApp,
  TEST_TOKEN_SECRET,
  userWithToken,
  type TestApp,
  type TestUser,
} from '../helpers/test-app.js';

/*
 * What the hostile requests found: numbers in URLs read loosely (1e309 -> Infinity ->
 * 500), NUL bytes reaching PostgreSQL (500), quantities past int4, a validly signed token
 * naming a non-uuid user (500), and Fastify's own errors answered as plain JSON.
 */
let t: TestApp;
const users = {} as Record<'consumer' | 'seller' | 'admin', TestUser>;
let listingId: string;

beforeAll(async () => {
  t = await startTestApp();
  for (const context of ['consumer', 'seller', 'admin'] as const) users[context] = await userWithToken(t.app, context);
  listingId = (await createListing(t.app, users.seller, { kind: 'fixed-price', priceCents: 100, stock: 10 })).id;
});
afterAll(async () => t?.close());

function headersFor(path: string): Record<string, string> {
  const context = contextOfPath(path);
  return context === 'public' ? {} : bearer(users[context].token);
}

const LOOSE_NUMBERS = ['1e309', '-1e309', '1e3', '0x10', '0b11', '0o7', ' 5', '5 ', '+5', '05', '5.0', 'Infinity', 'NaN', '9'.repeat(30)];

describe('strict query parsing', () => {
  it('refuses every loosely written or out-of-range number on every list route with 400 problem+json', async () => {
    const lists = (await documentedOperations(t.app)).filter(
      (op: DocumentedOperation) => op.method === 'GET' && op.operation.parameters?.some((p) => p.in === 'query' && p.name === 'limit'),
    );
    expect(lists.length).toBeGreaterThanOrEqual(8);
    const failures: string[] = [];
    for (const op of lists) {
      const url = fillPath(op.path, { listingId }, listingId);
      const names = ['limit', 'offset'].filter((n) => op.operation.parameters?.some((p) => p.in === 'query' && p.name === n));
      for (const name of names) {
        for (const value of [...LOOSE_NUMBERS, '-1', '100000000']) {
          const response = await t.app.inject({
            method: 'GET',
            url: `${url}?${name}=${encodeURIComponent(value)}`,
            headers: headersFor(op.path),
          });
          if (response.statusCode !== 400) {
            failures.push(`${op.path}?${name}=${JSON.stringify(value)}: ${response.statusCode} ${response.body.slice(0, 120)}`);
          } else if (!problemOf(response).errors?.some((e) => e.field === `querystring:/${name}`)) {
            failures.push(`${op.path}?${name}=${JSON.stringify(value)}: problem does not name ${name}`);
          }
        }
      }
      // Control: plain integers inside the bounds are accepted.
      const ok = await t.app.inject({ method: 'GET', url: `${url}?limit=5`, headers: headersFor(op.path) });
      if (ok.statusCode >= 400 && ok.statusCode !== 404) failures.push(`${op.path} control: ${ok.statusCode} ${ok.body}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('unstorable text', () => {
  const BAD_TEXT = ['nul \u0000 inside', 'lone \ud800 surrogate', 'lone \udc00 low'];

  it('refuses NUL and broken Unicode in titles, descriptions, display names and search with 400', async () => {
    const failures: string[] = [];
    for (const text of BAD_TEXT) {
      const attempts = [
        { method: 'POST', url: '/api/seller/listings', headers: bearer(users.seller.token), payload: { title: text, kind: 'fixed-price', priceCents: 100, stock: 1 }, field: '/title' },
        { method: 'POST', url: '/api/seller/listings', headers: bearer(users.seller.token), payload: { title: 'fine title', description: text, kind: 'fixed-price', priceCents: 100, stock: 1 }, field: '/description' },
        { method: 'POST', url: '/api/public/users', headers: {}, payload: { email: `n${Date.now()}@test.archfit.dev`, password: 'long enough password', displayName: text }, field: '/displayName' },
      ] as const;
      for (const attempt of attempts) {
        const response = await t.app.inject({
          method: attempt.method,
          url: attempt.url,
          headers: attempt.headers,
          ...('payload' in attempt ? { payload: attempt.payload } : {}),
        });
        if (response.statusCode !== 400) {
          failures.push(`${attempt.method} ${attempt.url} ${JSON.stringify(text)}: ${response.statusCode}`);
          continue;
        }
        if (!problemOf(response).errors?.some((e) => e.field.endsWith(attempt.field))) {
          failures.push(`${attempt.url}: problem does not name ${attempt.field}: ${response.body}`);
        }
      }
    }
    // A URL carries UTF-8 bytes, where a lone surrogate cannot exist (it decodes to U+FFFD); NUL can.
    const search = await t.app.inject({ method: 'GET', url: '/api/public/listings?q=nul%00inside' });
    if (search.statusCode !== 400 || !problemOf(search).errors?.some((e) => e.field === 'querystring:/q')) {
      failures.push(`?q= with NUL: ${search.statusCode} ${search.body}`);
    }
    expect(failures).toEqual([]);
    // Control: ordinary non-ASCII text (a real surrogate pair included) is stored.
    const fine = await t.app.inject({
      method: 'POST',
      url: '/api/seller/listings',
      headers: bearer(users.seller.token),
      payload: { title: 'Crème brûlée 🍮', kind: 'fixed-price', priceCents: 100, stock: 1 },
    });
    expect(fine.statusCode, fine.body).toBe(201);
  });
});

describe('quantities', () => {
  it('refuses a restock that would pass MAX_STOCK (and int4) with 422, and keeps the stock', async () => {
    const restock = (quantity: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/seller/listings/${listingId}/stock`,
        headers: bearer(users.seller.token),
        payload: { quantity },
      });
    // Fill up to the maximum in allowed steps, then one more unit must be refused.
    expect((await restock(MAX_STOCK - 10)).statusCode).toBe(200);
    const over = await restock(1);
    expect(over.statusCode, over.body).toBe(422);
    expect(problemOf(over).errors?.[0]?.field).toBe('body:/quantity');
    // Concurrent restocks cannot sum past the bound either (the bound is in the UPDATE's WHERE).
    await t.app.pool.query('UPDATE catalog.listings SET stock = $2 WHERE id = $1', [listingId, MAX_STOCK - 50]);
    const racing = await Promise.all(Array.from({ length: 8 }, () => restock(20)));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 200, 422, 422, 422, 422, 422, 422]);
    const { rows } = await t.app.pool.query('SELECT stock FROM catalog.listings WHERE id = $1', [listingId]);
    expect(rows[0].stock).toBe(MAX_STOCK - 10);
    // Past int4 the schema refuses before any SQL runs.
    expect((await restock(2 ** 31)).statusCode).toBe(400);
  });

  it('still reports another seller’s listing as missing (404), not as over the bound', async () => {
    const other = await userWithToken(t.app, 'seller');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/seller/listings/${listingId}/stock`,
      headers: bearer(other.token),
      payload: { quantity: 1 },
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('tokens', () => {
  it('answers 401 to a validly signed token whose subject is not a uuid', async () => {
    const sign = createSigner({ key: TEST_TOKEN_SECRET, algorithm: 'HS256', expiresIn: 60_000 });
    for (const sub of ['not-a-uuid', "1' OR '1'='1", '', 'x'.repeat(300)]) {
      const token = sign({ sub, ctx: 'consumer', perms: ['orders:read', 'bids:read'], ver: 0 });
      const response = await t.app.inject({ method: 'GET', url: '/api/consumer/orders', headers: bearer(token) });
      expect(response.statusCode, `${sub}: ${response.body}`).toBe(401);
      problemOf(response);
    }
  });
});

describe("Fastify's own errors as problem+json", () => {
  it('413 body too large, 415 wrong media type, 404 no route, 414 path segment too long', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/seller/listings',
      headers: { ...bearer(users.seller.token), 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'x'.repeat(70 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    problemOf(big);
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/seller/listings',
      headers: { ...bearer(users.seller.token), 'content-type': 'application/xml' },
      payload: '<listing/>',
    });
    expect(text.statusCode).toBe(415);
    problemOf(text);
    const none = await t.app.inject({ method: 'GET', url: '/api/public/nothing-here' });
    expect(none.statusCode).toBe(404);
    problemOf(none);
    const long = await t.app.inject({ method: 'GET', url: `/api/public/listings/${'a'.repeat(500)}` });
    expect(long.statusCode).toBe(414);
    expect(problemOf(long).type).toBe('/problems/uri-too-long');
  });

  it('431 for oversized headers, over a real socket, as problem+json', async () => {
    const served = await startTestApp();
    try {
      const address = new URL(await served.app.listen({ port: 0, host: '127.0.0.1' }));
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(address.port), '127.0.0.1');
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        // The server answers and then drops the connection with our unread header bytes still
        // in its buffer; Node 24 does that with a reset. A reset after the answer arrived is
        // the expected end; a reset with no answer is still a failure.
        socket.on('error', (err) => (text ? resolve(text) : reject(err)));
        socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 431 /);
      expect(raw).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431 });
    } finally {
      await served.close();
    }
  });

  it('503 problem+json with Retry-After for a request that arrives while the app shuts down', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const served = await startTestApp({
      extend: async (app) => {
        await app.register(async (scope) => {
          markAuthScope(scope, 'public');
          scope.get('/api/public/test-slow', { config: { auth: { context: 'public', permission: 'public' } } }, async () => {
            await held;
            return { ok: true };
          });
        });
      },
    });
    const address = new URL(await served.app.listen({ port: 0, host: '127.0.0.1' }));
    // One keep-alive connection: the first request is still running when close() starts, and
    // the second is written on the same connection after that (Node parses it while the first
    // is unanswered), so it reaches the app while it is closing.
    let socketRef: Socket | undefined;
    const raw = new Promise<string>((resolve, reject) => {
      const socket = connect(Number(address.port), '127.0.0.1');
      socketRef = socket;
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write('GET /api/public/test-slow HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = served.app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socketRef!.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const text = await raw;
    await closing;
    await served.db.drop();
    const second = text.slice(text.indexOf('HTTP/1.1', 10));
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/content-type: application\/problem\+json/i);
    expect(second).toMatch(/retry-after: \d+/i);
  });
});

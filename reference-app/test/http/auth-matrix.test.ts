import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../src/shared/auth/tokens.js';
import { contextOfPath, documentedOperations, fillPath, type DocumentedOperation } from '../helpers/openapi.js';
import {
  bearer,
  problemOf,
  startTestApp,
  TEST_TOKEN_SECRET,
  userWithToken,
  type TestApp,
} from '../helpers/test-app.js';

type Caller = 'none' | 'consumer' | 'seller' | 'admin';
const CALLERS: Caller[] = ['none', 'consumer', 'seller', 'admin'];

let t: TestApp;
let operations: DocumentedOperation[];
const tokens: Partial<Record<Caller, string>> = {};

beforeAll(async () => {
  t = await startTestApp();
  operations = await documentedOperations(t.app);
  for (const context of ['consumer', 'seller', 'admin'] as const)
    tokens[context] = (await userWithToken(t.app, context)).token;
});
afterAll(async () => t?.close());

/**
 * Who may pass: everybody on a public route, only the matching context elsewhere.
 * "Passes" means the auth layer let the request through: anything but 401/403 (the
 * handler may still answer 400/404/422 for the made-up ids and empty bodies).
 */
function expectedFor(context: ReturnType<typeof contextOfPath>, caller: Caller): 'pass' | 401 | 403 {
  if (context === 'public' || caller === context) return 'pass';
  return caller === 'none' ? 401 : 403;
}

describe('auth matrix: every documented route x every caller', () => {
  it('lets exactly the declared context through', async () => {
    expect(operations.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let cases = 0;
    for (const op of operations) {
      const context = contextOfPath(op.path);
      for (const caller of CALLERS) {
        cases++;
        const response = await t.app.inject({
          method: op.method as 'GET',
          url: fillPath(op.path, {}, randomUUID()),
          headers: caller === 'none' ? {} : bearer(tokens[caller]!),
          ...(op.method === 'GET' ? {} : { payload: {} }),
        });
        const expected = expectedFor(context, caller);
        const passed = response.statusCode !== 401 && response.statusCode !== 403;
        const ok = expected === 'pass' ? passed : response.statusCode === expected;
        if (!ok)
          failures.push(`${op.method} ${op.path} as ${caller}: expected ${expected}, got ${response.statusCode}`);
        if (!passed) expect(problemOf(response).status).toBe(response.statusCode);
      }
    }
    process.stdout.write(`auth matrix: ${operations.length} routes x ${CALLERS.length} callers = ${cases} cases\n`);
    expect(failures).toEqual([]);
  });

  it('documents every registered route, so none escapes the matrix', async () => {
    const documented = new Set(operations.map((op) => `${op.method} ${op.path.replace(/\{(\w+)\}/g, ':$1')}`));
    // swagger-ui's own asset routes are hidden from the document on purpose; they serve static files.
    const registered = t.app
      .declaredRoutes()
      .filter((r) => !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect(registered.length).toBe(operations.length);
    expect(registered.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('refuses a token of the right context that lacks the route permission (403)', async () => {
    const forge = createTokenService({ secret: TEST_TOKEN_SECRET });
    const { token } = forge.issue({ sub: randomUUID(), ctx: 'consumer', perms: ['profile:read'] });
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/consumer/listings/${randomUUID()}/bids`,
      headers: bearer(token),
      payload: { amountCents: 100 },
    });
    expect(response.statusCode).toBe(403);
    expect(problemOf(response).detail).toContain('bids:write');
  });

  it('refuses expired, tampered and foreign-key tokens (401)', async () => {
    const expired = createTokenService({ secret: TEST_TOKEN_SECRET, ttlSeconds: -10 }).issue({
      sub: randomUUID(),
      ctx: 'consumer',
      perms: ['profile:read'],
    }).token;
    const foreign = createTokenService({ secret: 'another-secret-of-at-least-32-characters!!' }).issue({
      sub: randomUUID(),
      ctx: 'consumer',
      perms: ['profile:read'],
    }).token;
    const valid = tokens.consumer!;
    const tampered = `${valid.slice(0, -4)}${valid.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (const [name, token] of Object.entries({ expired, foreign, tampered })) {
      const response = await t.app.inject({ method: 'GET', url: '/api/consumer/me', headers: bearer(token) });
      expect(response.statusCode, name).toBe(401);
      expect(problemOf(response).type).toBe('/problems/unauthenticated');
    }
  });

  it('logs in only to a context the user holds a role for', async () => {
    const consumer = await userWithToken(t.app, 'consumer');
    const wrongContext = await t.app.inject({
      method: 'POST',
      url: '/api/public/sessions',
      payload: { email: consumer.email, password: 'correct horse battery staple', context: 'seller' },
    });
    expect(wrongContext.statusCode).toBe(403);
    const wrongPassword = await t.app.inject({
      method: 'POST',
      url: '/api/public/sessions',
      payload: { email: consumer.email, password: 'not the password', context: 'consumer' },
    });
    expect(wrongPassword.statusCode).toBe(401);
  });
});

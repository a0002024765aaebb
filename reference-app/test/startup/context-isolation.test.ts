import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createConsumerContext } from '../../src/contexts/consumer/consumer-context.js';
import { createPublicContext } from '../../src/contexts/public/public-context.js';
import { createSellerContext } from '../../src/contexts/seller/seller-context.js';
import { createRevocationCheck } from '../../src/shared/auth/revocation.js';
import { createTokenService } from '../../src/shared/auth/tokens.js';
import { installProblemDetails } from '../../src/shared/http/problem-details.js';
import { createPool } from '../../src/shared/db/pool.js';
import type { AppModule } from '../../src/shared/module.js';
import { TEST_TOKEN_SECRET } from '../helpers/test-app.js';

const tokens = createTokenService({ secret: TEST_TOKEN_SECRET });
// No user table here: every user exists at version 0 (revocation has its own tests).
const revocation = createRevocationCheck({ tokenVersion: async () => 0 });

/** A module whose routes report which principals their scope can see. */
const probe: AppModule = {
  name: 'probe',
  migrationsDir: '/nonexistent',
  routes: {
    consumer: async (app) => {
      app.get('/whoami', { config: { auth: { context: 'consumer', permission: 'probe:read' } } }, async (request) => ({
        consumer: request.consumer?.userId ?? null,
        seller: (request as { seller?: unknown }).seller ?? null,
      }));
    },
    seller: async (app) => {
      app.get('/whoami', { config: { auth: { context: 'seller', permission: 'probe:read' } } }, async (request) => ({
        seller: request.seller?.userId ?? null,
        consumer: (request as { consumer?: unknown }).consumer ?? null,
      }));
    },
  },
};

describe('auth contexts are sibling scopes', () => {
  it("gives each scope its own decorator; a sibling's is not even defined", async () => {
    const app = Fastify();
    installProblemDetails(app);
    await app.register(createConsumerContext({ modules: [probe], tokens, revocation }));
    await app.register(createSellerContext({ modules: [probe], tokens, revocation }));
    const userId = randomUUID();
    const consumerToken = tokens.issue({ sub: userId, ctx: 'consumer', perms: ['probe:read'] }).token;
    const sellerToken = tokens.issue({ sub: userId, ctx: 'seller', perms: ['probe:read'] }).token;

    const asConsumer = await app.inject({
      url: '/api/consumer/whoami',
      headers: { authorization: `Bearer ${consumerToken}` },
    });
    expect(asConsumer.json()).toEqual({ consumer: userId, seller: null });
    const asSeller = await app.inject({
      url: '/api/seller/whoami',
      headers: { authorization: `Bearer ${sellerToken}` },
    });
    expect(asSeller.json()).toEqual({ seller: userId, consumer: null });
    // The root (and so every sibling) never got the decorators.
    expect(app.hasRequestDecorator('consumer')).toBe(false);
    expect(app.hasRequestDecorator('seller')).toBe(false);
    await app.close();
  });
});

describe('readiness follows the database', () => {
  it('answers /health 200 and /ready 503 problem+json when the database is unreachable', async () => {
    // Port 9 (discard) on loopback: nothing listens, so every connection is refused at once.
    const pool = createPool({ connectionString: 'postgres://nobody@127.0.0.1:9/none' });
    const app = Fastify();
    installProblemDetails(app);
    await app.register(
      createPublicContext({ modules: [], docs: false, readiness: async () => void (await pool.query('SELECT 1')) }),
    );
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toContain('application/problem+json');
    await app.close();
    await pool.end();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { build } from '../../src/app.js';
import { markAuthScope } from '../../src/shared/auth/route-declarations.js';
import { TEST_TOKEN_SECRET } from '../helpers/test-app.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('refapp_startup');
});
afterAll(async () => db?.drop());

/** Builds the real app plus one rogue route and returns why ready() refused (or undefined if it booted). */
async function refusalWith(addRogue: (app: FastifyInstance) => void | Promise<void>): Promise<string | undefined> {
  const app = await build({ databaseUrl: db.url, tokenSecret: TEST_TOKEN_SECRET, relay: false, extend: addRogue });
  try {
    await app.ready();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await app.close().catch(() => {});
  }
}

describe('start-up refusal: every route declares exactly one context under its prefix', () => {
  it('boots the real app as a control', async () => {
    expect(await refusalWith(() => {})).toBeUndefined();
  });

  it('refuses a route that declares no auth, naming it', async () => {
    const message = await refusalWith((app) => {
      app.register(async (scope) => {
        markAuthScope(scope, 'consumer');
        scope.get('/api/consumer/rogue', async () => 'no declaration');
      });
    });
    expect(message).toContain('GET /api/consumer/rogue declares no config.auth');
  });

  it('refuses a route registered outside every context scope', async () => {
    const message = await refusalWith((app) => {
      app.get(
        '/api/consumer/bypass',
        { config: { auth: { context: 'consumer', permission: 'bids:read' } } },
        async () => 'x',
      );
    });
    expect(message).toContain(
      'GET /api/consumer/bypass declares context consumer but is registered outside every context scope',
    );
  });

  it('refuses a route under the wrong prefix', async () => {
    const message = await refusalWith((app) => {
      app.register(async (scope) => {
        markAuthScope(scope, 'seller');
        scope.post(
          '/api/consumer/misplaced',
          { config: { auth: { context: 'seller', permission: 'listings:write' } } },
          async () => 'x',
        );
      });
    });
    expect(message).toContain(
      'POST /api/consumer/misplaced declares context seller but its URL is not under /api/seller',
    );
  });

  it('refuses a route that declares another context than the scope it sits in', async () => {
    const message = await refusalWith((app) => {
      app.register(async (scope) => {
        markAuthScope(scope, 'seller');
        scope.get(
          '/api/seller/confused',
          { config: { auth: { context: 'admin', permission: 'users:read' } } },
          async () => 'x',
        );
      });
    });
    expect(message).toContain('GET /api/seller/confused declares context admin but is registered in the seller scope');
  });

  it('refuses a route without a permission', async () => {
    const message = await refusalWith((app) => {
      app.register(async (scope) => {
        markAuthScope(scope, 'admin');
        scope.get('/api/admin/open', { config: { auth: { context: 'admin', permission: '' } } }, async () => 'x');
      });
    });
    expect(message).toContain('GET /api/admin/open declares no permission');
  });
});

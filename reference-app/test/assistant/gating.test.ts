import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { build, type App } from '../../src/app.js';
import { createTokenService } from '../../src/shared/auth/tokens.js';
import { CatalogConfigError } from '../../src/shared/services/index.js';
import { waitFor } from '../services/support/declarations.js';
import { modelsProcess, type ModelsProcess } from '../services/support/models-process.js';
import { userToken } from './support/users.js';

const SECRET = 'gating-test-secret-at-least-32-characters-long';
const tokens = createTokenService({ secret: SECRET });
let consumer = '';
let admin = '';
const FAST = { intervalSeconds: 0.1, degradedAfterSeconds: 0.3, downAfterSeconds: 0.6 };

describe('the assistant in service mode, gated on the models service', () => {
  let db: TestDatabase;
  let models: ModelsProcess;
  let app: App;

  beforeAll(async () => {
    db = await createTestDatabase('assistant_gating');
    models = await modelsProcess();
    await models.start();
    app = await build({
      databaseUrl: db.url,
      tokenSecret: SECRET,
      relay: false,
      docs: false,
      assistant: { mode: 'service', cost: 2, poolThreads: 1 },
      serviceCatalog: { env: { MODELS_SERVICE_URL: models.url, MS_MODELS_TOKEN: models.token }, health: { models: FAST } },
    });
    await app.ready();
    consumer = (await userToken(app, tokens, 'consumer', ['assistant:use'])).token;
    admin = (await userToken(app, tokens, 'admin', ['services:read'])).token;
  });
  afterAll(async () => {
    await app?.close();
    await models?.stop();
    await db?.drop();
  });

  const embed = () =>
    app.inject({
      method: 'POST',
      url: '/api/consumer/assistant/embed',
      headers: { authorization: `Bearer ${consumer}` },
      payload: { texts: ['a green sofa'] },
    });
  const health = async () => {
    const res = await app.inject({ url: '/api/admin/services?logs=false', headers: { authorization: `Bearer ${admin}` } });
    return (res.json() as { services: Array<{ slug: string; health: { state: string } }> }).services[0]!.health.state;
  };

  it('serves, turns into fast 503s with Retry-After while the service is down, and recovers', async () => {
    await waitFor('up (warm)', health, (s) => s === 'up', 60_000);
    const ok = await embed();
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ dimensions: 128, cost: 2 });

    await models.stop();
    await waitFor('down in the admin view', health, (s) => s === 'down');
    const started = Date.now();
    const gated = await embed();
    expect(gated.statusCode).toBe(503);
    expect(gated.headers['content-type']).toContain('application/problem+json');
    expect(gated.headers['retry-after']).toBe('1');
    expect(gated.json()).toMatchObject({ status: 503, type: '/problems/service-unavailable' });
    expect(gated.json().detail).toContain('"models"');
    // Answered from the probe's verdict: no connect attempt, no 10 s endpoint timeout.
    expect(Date.now() - started).toBeLessThan(1_000);

    await models.start();
    await waitFor('up again (warm)', health, (s) => s === 'up', 60_000);
    expect((await embed()).statusCode).toBe(200);
  }, 180_000);

  it('the admin view lists the service with its health history and pulled logs; other contexts get 403', async () => {
    const res = await app.inject({ url: '/api/admin/services', headers: { authorization: `Bearer ${admin}` } });
    expect(res.statusCode).toBe(200);
    const [models] = (res.json() as { services: Array<Record<string, unknown>> }).services;
    expect(models).toMatchObject({ slug: 'models', active: true, capabilities: { logs: { pull: true } } });
    expect((models!.health as { history: unknown[] }).history.length).toBeGreaterThan(0);
    expect(models!.logs).toHaveProperty('lines.records');

    const asConsumer = await app.inject({ url: '/api/admin/services', headers: { authorization: `Bearer ${consumer}` } });
    expect(asConsumer.statusCode).toBe(403);
  });
});

describe('start-up validation through build()', () => {
  it('service mode without MODELS_SERVICE_URL refuses to build, naming the service and the field', async () => {
    const error = await build({
      databaseUrl: 'postgres://unused.invalid/none',
      tokenSecret: SECRET,
      migrate: false,
      assistant: { mode: 'service', cost: 1, poolThreads: 1 },
      serviceCatalog: { env: { MS_MODELS_TOKEN: 't' } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogConfigError);
    expect((error as Error).message).toContain('service "models", baseUrlEnvVar: environment variable MODELS_SERVICE_URL is not set');
  });
});

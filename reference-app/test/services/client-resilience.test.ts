import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServiceCatalog, ServiceUnavailableError, type ServiceCatalog } from '../../src/shared/services/index.js';

/** A stand-in service whose endpoints misbehave on purpose; the catalog sees it like any other. */
const flaky = [
  {
    slug: 'flaky',
    displayName: 'Flaky test service',
    baseUrlEnvVar: 'FLAKY_URL',
    tokenEnvVar: 'FLAKY_TOKEN',
    health: { intervalSeconds: 1, degradedAfterSeconds: 2, downAfterSeconds: 3 },
    capabilities: { logs: { pull: false } },
    aiTasks: [],
    endpoints: [
      { name: 'read', method: 'POST', path: '/read', idempotent: true, timeoutMs: 1_000, body: Type.Object({ n: Type.Integer() }), response: Type.Object({ n: Type.Integer() }) },
      { name: 'write', method: 'POST', path: '/write', idempotent: false, timeoutMs: 1_000, body: Type.Object({ n: Type.Integer() }), response: Type.Object({ n: Type.Integer() }) },
      { name: 'slow', method: 'POST', path: '/slow', idempotent: false, timeoutMs: 100, body: Type.Object({}), response: Type.Object({}) },
    ],
  },
] as const;

describe('typed client: retries, timeouts, circuit breaker', () => {
  let server: FastifyInstance;
  let url: string;
  let hits: Record<string, number>;
  let failuresLeft: number;
  let catalog: ServiceCatalog<typeof flaky>;

  beforeAll(async () => {
    server = Fastify();
    const flakyHandler = (name: string) => async (request: { body: unknown }, reply: { code(n: number): unknown }) => {
      hits[name] = (hits[name] ?? 0) + 1;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        reply.code(503);
        return { error: 'try later' };
      }
      return request.body;
    };
    server.post('/read', flakyHandler('read'));
    server.post('/write', flakyHandler('write'));
    server.post('/slow', async () => {
      hits.slow = (hits.slow ?? 0) + 1;
      await new Promise((r) => setTimeout(r, 500));
      return {};
    });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  beforeEach(() => {
    hits = {};
    failuresLeft = 0;
    catalog = createServiceCatalog(flaky, {
      env: { FLAKY_URL: url, FLAKY_TOKEN: 't' },
      policy: { retries: 2, retryBaseDelayMs: 1, breakerFailureThreshold: 3, breakerCooldownMs: 200 },
    });
  });
  afterEach(async () => {
    await catalog.stop();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('retries an idempotent endpoint through transient 503s', async () => {
    failuresLeft = 2;
    await expect(catalog.client('flaky').call('read', { n: 7 })).resolves.toEqual({ n: 7 });
    expect(hits.read).toBe(3);
  });

  it('never retries a non-idempotent endpoint', async () => {
    failuresLeft = 1;
    const error = await catalog.client('flaky').call('write', { n: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).reason).toBe('server-error');
    expect(hits.write).toBe(1);
  });

  it('gives up after the declared timeout', async () => {
    const started = Date.now();
    const error = await catalog.client('flaky').call('slow', {}).catch((e: unknown) => e);
    expect((error as ServiceUnavailableError).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('opens the circuit after repeated failures, fails fast, then lets a trial through', async () => {
    failuresLeft = 100;
    for (let i = 0; i < 3; i += 1) await catalog.client('flaky').call('write', { n: i }).catch(() => {});
    expect(hits.write).toBe(3);
    const error = await catalog.client('flaky').call('write', { n: 9 }).catch((e: unknown) => e);
    expect((error as ServiceUnavailableError).reason).toBe('circuit-open');
    expect(hits.write).toBe(3); // refused without touching the service
    expect(() => catalog.assertAvailable('flaky')).toThrow(ServiceUnavailableError);

    failuresLeft = 0;
    await new Promise((r) => setTimeout(r, 220));
    await expect(catalog.client('flaky').call('write', { n: 10 })).resolves.toEqual({ n: 10 });
    expect(() => catalog.assertAvailable('flaky')).not.toThrow();
  });
});

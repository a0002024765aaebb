import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { CatalogConfigError, createServiceCatalog, services } from '../../src/shared/services/index.js';

function issuesOf(run: () => unknown): Array<{ service: string; field: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogConfigError);
    return [...(error as CatalogConfigError).issues];
  }
  throw new Error('expected the catalog to refuse this configuration');
}

const body = Type.Object({});

describe('start-up validation of the service catalog', () => {
  it('a required service with no env vars refuses start, naming the service and both variables', () => {
    const issues = issuesOf(() => createServiceCatalog(services, { env: {}, required: ['models'] }));
    expect(issues).toEqual([
      { service: 'models', field: 'baseUrlEnvVar', message: 'environment variable MODELS_SERVICE_URL is not set' },
      { service: 'models', field: 'tokenEnvVar', message: 'environment variable MS_MODELS_TOKEN is not set' },
    ]);
  });

  it('the error message names the service and the field', () => {
    expect(() => createServiceCatalog(services, { env: { MS_MODELS_TOKEN: 't' }, required: ['models'] })).toThrow(
      /service "models", baseUrlEnvVar: environment variable MODELS_SERVICE_URL is not set/,
    );
  });

  it('a malformed URL or a non-HTTP URL refuses start', () => {
    const malformed = issuesOf(() =>
      createServiceCatalog(services, { env: { MODELS_SERVICE_URL: 'localhost:4100', MS_MODELS_TOKEN: 't' } }),
    );
    expect(malformed).toEqual([
      { service: 'models', field: 'baseUrlEnvVar', message: 'MODELS_SERVICE_URL="localhost:4100" must be an http:// or https:// URL' },
    ]);
    const garbage = issuesOf(() =>
      createServiceCatalog(services, { env: { MODELS_SERVICE_URL: 'http://', MS_MODELS_TOKEN: 't' } }),
    );
    expect(garbage[0]?.message).toBe('MODELS_SERVICE_URL="http://" is not a valid URL');
  });

  it('a base URL set without its token refuses start even when nothing requires the service', () => {
    const issues = issuesOf(() => createServiceCatalog(services, { env: { MODELS_SERVICE_URL: 'http://127.0.0.1:4100' } }));
    expect(issues.map((i) => i.field)).toEqual(['tokenEnvVar']);
  });

  it('an endpoint name used twice refuses start', () => {
    const twice = [
      {
        ...services[0],
        aiTasks: [],
        endpoints: [
          { name: 'embed', method: 'POST', path: '/a', idempotent: true, timeoutMs: 100, body, response: body },
          { name: 'embed', method: 'POST', path: '/b', idempotent: true, timeoutMs: 100, body, response: body },
        ],
      },
    ] as const;
    const issues = issuesOf(() => createServiceCatalog(twice, { env: {} }));
    expect(issues).toEqual([{ service: 'models', field: 'endpoints[1].name', message: 'endpoint name "embed" is used twice' }]);
  });

  it('health thresholds out of order refuse start', () => {
    const bad = [{ ...services[0], health: { intervalSeconds: 5, degradedAfterSeconds: 20, downAfterSeconds: 10 } }] as const;
    const issues = issuesOf(() => createServiceCatalog(bad, { env: {} }));
    expect(issues.map((i) => `${i.service}.${i.field}`)).toEqual(['models.health.downAfterSeconds']);
  });

  it('an AI task naming an undeclared endpoint refuses start', () => {
    const bad = [{ ...services[0], aiTasks: [{ id: 'ocr', shape: 'ocr', label: 'OCR', endpoint: 'scan', feature: 'receipt-scan' }] }] as const;
    const issues = issuesOf(() => createServiceCatalog(bad, { env: {} }));
    expect(issues).toEqual([{ service: 'models', field: 'aiTasks[0].endpoint', message: '"scan" is not a declared endpoint' }]);
  });

  it('aiTokenEnvVar must be a variable name, and not the same variable as the bearer token', () => {
    const same = [{ ...services[0], aiTokenEnvVar: 'MS_MODELS_TOKEN' }] as const;
    expect(issuesOf(() => createServiceCatalog(same, { env: {} }))).toEqual([
      { service: 'models', field: 'aiTokenEnvVar', message: 'must differ from tokenEnvVar (MS_MODELS_TOKEN): one credential per purpose' },
    ]);
    const malformed = [{ ...services[0], aiTokenEnvVar: 'ms-models ai token' }] as const;
    expect(issuesOf(() => createServiceCatalog(malformed, { env: {} }))[0]?.field).toBe('aiTokenEnvVar');
    // The real declaration passes, and the admin views expose the variable's name (never a value).
    const catalog = createServiceCatalog(services, { env: {} });
    expect(catalog.aiTaskRouting()[0]).toMatchObject({ slug: 'models', active: false, health: 'inactive', aiTokenEnvVar: 'MS_MODELS_AI_TOKEN' });
    expect(catalog.features().map((f) => [f.feature, f.state])).toEqual([
      ['listing-search', 'up'],
      ['receipt-scan', 'up'],
    ]);
  });

  it('an inactive service needs no environment: a fresh machine starts', () => {
    const catalog = createServiceCatalog(services, { env: {} });
    expect(catalog.isActive('models')).toBe(false);
    expect(catalog.healthState('models')).toBe('inactive');
    expect(() => catalog.client('models')).toThrow(/not active/);
  });
});

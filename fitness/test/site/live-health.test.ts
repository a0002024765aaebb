import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchLiveHealth, type ServiceCatalogFacts } from '../../src/site/service-catalog.js';
import { buildServicesPage } from '../../src/site/services-page.js';
import type { SiteInputs } from '../../src/site/inputs.js';

const catalog: ServiceCatalogFacts = {
  file: 'src/shared/services.ts',
  constant: 'services',
  services: ['models', 'search'].map((slug) => ({ slug, displayName: slug, baseUrlEnvVar: undefined, tokenEnvVar: undefined, health: undefined, aiTasks: [], endpoints: [] })),
};

let server: Server;
let url: string;

beforeAll(async () => {
  // A stand-in app on loopback: /health for anyone, the services view only with the admin token.
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/health') return res.end(JSON.stringify({ status: 'ok' }));
    if (req.url?.startsWith('/api/admin/services')) {
      if (req.headers.authorization !== 'Bearer admin-token') {
        res.statusCode = 401;
        return res.end('{}');
      }
      return res.end(JSON.stringify({ services: [{ slug: 'models', active: true, health: { state: 'degraded' } }, { slug: 'search', active: false, health: null }] }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('live health at build time', () => {
  it('reads each service state from the admin view with the token', async () => {
    const live = await fetchLiveHealth(`${url}/`, catalog, 'admin-token');
    expect(live).toEqual({ url, app: 'ok', services: { models: 'degraded', search: 'inactive' } });
    const page = buildServicesPage({ services: catalog, live } as unknown as SiteInputs);
    expect(page.services.map((s) => [s.slug, s.live])).toEqual([['models', 'degraded'], ['search', 'inactive']]);
  });

  it('says why the states are missing without a token, and still reports the app', async () => {
    const live = await fetchLiveHealth(url, catalog);
    expect(live.app).toBe('ok');
    expect(live.services).toEqual({ models: 'not reported', search: 'not reported' });
    expect(live.problem).toMatch(/HTTP 401; pass --app-token/);
  });

  it('reports an app that does not answer', async () => {
    const live = await fetchLiveHealth('http://127.0.0.1:9', catalog, 'admin-token');
    expect(live.app).not.toBe('ok');
    expect(live.problem).toMatch(/could not be read/);
  });
});

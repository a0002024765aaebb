import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDefinitionFile, loadMixData } from '../runner/http-mix-definition.js';
import { runHttpMix } from '../runner/http-mix.js';
import { amountAt, DAU_SEED, dauRequest } from '../runner/http-mix-stream.js';
import { buildPlan, generateK6Script } from '../runner/k6-generate.js';
import { lagRequest } from '../runner/notification-lag-stream.js';
import { SCENARIO_IDS, type HttpMixScenario } from '../scenarios/schema.js';
import { loadK6Script, type ShimRequest } from './support/k6-shim.js';

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scenarios');

// The generated k6 script runs in a shim of k6's API (no k6 binary here); what it sends is
// compared with what the in-repo runner actually sent to a recording server.

const mix = {
  id: 'parity-mix',
  kind: 'http-mix',
  description: 'parity test: every fill kind, an auth header template, expected statuses per request',
  baseUrl: 'http://127.0.0.1:9',
  seed: 9,
  fills: {
    user: { type: 'csv', file: 'users.csv' },
    item: { type: 'int', min: 1, max: 50 },
    color: { type: 'pick', values: ['red', 'blue', 'green'] },
    amount: { type: 'sequence', start: 100, step: 5 },
  },
  headers: { authorization: 'Bearer {env.PARITY_TOKEN}' },
  requests: [
    { name: 'list', weight: 3, method: 'GET', path: '/items?color={color}', expect: [200] },
    { name: 'get', weight: 2, method: 'GET', path: '/items/{item}', expect: [200, 404] },
    { name: 'bid', weight: 1, method: 'POST', path: '/items/{item}/bids', headers: { 'x-user': '{user.name}' }, body: { amount: '{amount}', by: '{user.email}', n: '{n}' }, expect: [201, 409] },
  ],
  slo: { p99Ms: 300, maxErrorRate: 0.01 },
  profiles: {
    full: { steps: { rates: [{ name: 'low', rate: 30 }, { name: 'high', rate: 60 }] }, stepDurationS: 1, warmupS: 0.5, connections: 4 },
    quick: { steps: { search: { startRate: 10, stepFactor: 2, maxRate: 100, maxSteps: 5, refineSteps: 1 } }, stepDurationS: 2, warmupS: 1, connections: 16 },
  },
  thresholds: [{ id: 'high-p99', metric: 'p99_ms_high', comparator: '<=', value: 300, unit: 'ms' }],
  metrics: { p99_ms_high: { unit: 'ms', description: 'p99 of the high step' } },
} satisfies HttpMixScenario;

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'archfit-k6-parity-'));
  file = path.join(dir, 'parity-mix.json');
  await writeFile(file, JSON.stringify(mix));
  await writeFile(path.join(dir, 'users.csv'), 'name,email\nada,ada@example.com\nbob,bob@example.com\ncy,cy@example.com\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = (r: { method: string; path: string; body: string | null; auth?: string; user?: string }) => `${r.method} ${r.path} ${r.body ?? ''} ${r.auth ?? ''} ${r.user ?? ''}`;
const fromShim = (r: ShimRequest) => ({ method: r.method, path: new URL(r.url).pathname + new URL(r.url).search, body: r.body, auth: r.params.headers?.authorization, user: r.params.headers?.['x-user'] });

describe('k6 parity: http-mix', () => {
  it('the generated script sends the requests the in-repo runner sent, step by step', async () => {
    const seen: Array<{ method: string; path: string; body: string | null; auth?: string; user?: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, path: req.url!, body: body || null, auth: req.headers.authorization, ...(req.headers['x-user'] ? { user: String(req.headers['x-user']) } : {}) });
        res.statusCode = req.method === 'POST' ? 201 : req.url!.startsWith('/items/') ? 404 : 200;
        res.end('{}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const definition = await readDefinitionFile(file);
      const env = { PARITY_TOKEN: 'tok-123' };
      const data = await loadMixData(mix, file, env);
      const outcome = await runHttpMix(mix, data, target, { profile: 'full', signal: new AbortController().signal, log: () => {}, progress: () => ({ update: () => {}, stop: () => {} }) });
      expect(outcome.steps.map((s) => [s.label, s.requests])).toEqual([['low', 30], ['high', 60]]);
      // Expected statuses per request: 404 for a missing item and 201 for a bid are answers, not errors.
      expect(outcome.steps.every((s) => s.errors.total === 0)).toBe(true);

      const script = await loadK6Script(await generateK6Script(await buildPlan(definition, { profile: 'full' })), env);
      script.runAll();
      expect(script.requests.length).toBe(seen.length);
      expect(seen.length).toBe(15 + 30 + 60);
      expect(script.requests.map((r) => key(fromShim(r))).sort()).toEqual(seen.map(key).sort());
      // Every fill kind was drawn, and the auth template took the environment's token, not a literal.
      const bodies = script.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body!));
      expect(bodies.length).toBeGreaterThan(5);
      expect(bodies.every((b) => typeof b.amount === 'number' && typeof b.n === 'number' && /@example\.com$/.test(b.by))).toBe(true);
      expect(new Set(script.requests.map((r) => r.params.headers?.authorization))).toEqual(new Set(['Bearer tok-123']));
      expect(script.requests.some((r) => r.url.includes('{'))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('one k6 scenario per step, in order, with per-step <= thresholds, 10 s timeouts, VUs capped at the pool and expected statuses per request', async () => {
    const script = await loadK6Script(await generateK6Script(await buildPlan(await readDefinitionFile(file), { profile: 'full' })), { PARITY_TOKEN: 't' });
    const { scenarios, thresholds, summaryTrendStats } = script.exports.options;
    expect(Object.keys(scenarios)).toEqual(['warmup', 'low', 'high']);
    expect(scenarios.low).toMatchObject({ executor: 'constant-arrival-rate', rate: 30_000, timeUnit: '1000s', duration: '1000ms', preAllocatedVUs: 4, maxVUs: 4, exec: 'step_low' });
    // Steps never overlap: each starts after the previous one's duration plus the request timeout.
    expect([scenarios.warmup!.startTime, scenarios.low!.startTime, scenarios.high!.startTime]).toEqual(['0ms', '10500ms', '21500ms']);
    expect(thresholds).toMatchObject({
      'http_req_duration{scenario:low}': ['p(99)<=300'],
      'http_req_failed{scenario:low}': ['rate<=0.01'],
      'http_req_duration{scenario:high}': ['p(99)<=300'],
      'dropped_iterations{scenario:high}': ['count<=0'],
    });
    expect(Object.keys(thresholds).some((k) => k.includes('warmup'))).toBe(false);
    expect(summaryTrendStats).toContain('p(99)');
    script.runAll();
    expect(script.globalCallback).toEqual({ expectedStatuses: [{ min: 200, max: 299 }] });
    const byName = new Map(script.requests.map((r) => [r.params.tags?.name, r.params]));
    expect(byName.get('GET /items/{item}')).toMatchObject({ timeout: '10000ms', responseCallback: { expectedStatuses: [200, 404] } });
    expect(byName.get('POST /items/{item}/bids')?.responseCallback).toEqual({ expectedStatuses: [201, 409] });
  });

  it('a capacity search plans its rising rates as separate scenarios (the bisection needs a second run, and says so)', async () => {
    const plan = await buildPlan(await readDefinitionFile(file), { profile: 'quick' });
    expect(plan.steps.map((s) => [s.name, s.rate])).toEqual([['warmup', 10], ['search_10', 10], ['search_20', 20], ['search_40', 40], ['search_80', 80]]);
    expect(plan.notes.join(' ')).toMatch(/bisection/);
    const script = await loadK6Script(await generateK6Script(plan), { PARITY_TOKEN: 't' });
    expect(script.exports.options.thresholds['http_req_duration{scenario:search_80}']).toEqual(['p(99)<=300']);
  });

  it('bundles the data: the script imports only k6 modules and opens no file', async () => {
    const code = await generateK6Script(await buildPlan(await readDefinitionFile(file), { profile: 'full' }));
    expect(code).not.toMatch(/\bopen\(/);
    const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(['k6', 'k6/execution', 'k6/http']));
    expect(code).toContain('bob@example.com');
    expect(code).not.toContain('tok-');
  });
});

const fixture = {
  baseUrl: 'http://127.0.0.1:9',
  tokens: { consumer: ['c1', 'c2', 'c3'], seller: ['s1'], admin: [] },
  listings: Array.from({ length: 6 }, (_, i) => `l${i}`),
  fixedListings: ['f0', 'f1'],
};

describe('k6 parity: the reference-app kinds', () => {
  it('dau: the seeded mix with real fixed-price listing ids (no literal {fixedListing}), warm-up, one scenario per search step', async () => {
    const definition = await readDefinitionFile(path.join(SCENARIOS, 'dau.json'));
    const plan = await buildPlan(definition, { profile: 'test', fixture });
    const script = await loadK6Script(await generateK6Script(plan));
    script.runAll();
    const def = definition.scenario as Extract<typeof definition.scenario, { kind: 'dau' }>;
    expect(Object.keys(script.exports.options.scenarios)).toEqual(['warmup', 'search_20', 'search_40']);
    // Same stream as the in-repo runner's dau (dauRequest at the same global index).
    const expected = plan.steps.flatMap((s) => Array.from({ length: Math.floor(s.rate! * s.durationS) }, (_, i) => dauRequest(def.mix, fixture, s.offset + i, DAU_SEED)));
    expect(script.requests.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search} ${r.body}`)).toEqual(expected.map((e) => `${e.method} ${e.path} ${e.body ?? null}`));
    const checkouts = script.requests.filter((r) => r.url.endsWith('/api/consumer/orders'));
    for (const c of checkouts) expect(JSON.parse(c.body!).listingId).toMatch(/^f[01]$/);
    expect(script.requests.find((r) => r.params.tags?.name?.includes('/bids'))?.params.responseCallback).toEqual({ expectedStatuses: [201, 422] });
    expect(script.exports.options.thresholds['http_req_duration{scenario:search_40}']).toEqual([`p(99)<=${def.slo.p99Ms}`]);
    expect(script.exports.options.thresholds['http_req_failed{scenario:search_40}']).toEqual([`rate<=${def.slo.maxErrorRate}`]);
    expect(script.exports.options.scenarios.search_40).toMatchObject({ maxVUs: def.profiles.test.connections });
  });

  it('write-contention: opening bid per listing, hot then uniform at the profile rate, a closed-model ceiling, <= thresholds', async () => {
    const definition = await readDefinitionFile(path.join(SCENARIOS, 'write-contention.json'));
    const def = definition.scenario as Extract<typeof definition.scenario, { kind: 'write-contention' }>;
    const plan = await buildPlan(definition, { profile: 'quick', fixture, strategy: 'append-only' });
    const script = await loadK6Script(await generateK6Script(plan));
    (script.exports.setup as () => void)();
    const opening = script.requests.splice(0);
    expect(opening.map((r) => new URL(r.url).pathname)).toEqual(fixture.listings.map((l) => `/api/consumer/listings/${l}/bids`));
    script.runAll(3);
    const { scenarios, thresholds } = script.exports.options;
    expect(scenarios.hot).toMatchObject({ rate: def.profiles.quick.rate * 1000, duration: `${def.profiles.quick.durationS * 1000}ms` });
    expect(scenarios.ceiling).toMatchObject({ executor: 'constant-vus', vus: def.profiles.quick.ceilingConnections });
    expect(thresholds['http_req_duration{scenario:hot}']).toEqual([`p(99)<=${def.slo.p99Ms}`]);
    const hot = script.requests.filter((r) => r.scenario === 'hot');
    expect(new Set(hot.map((r) => new URL(r.url).pathname))).toEqual(new Set(['/api/consumer/listings/l0/bids']));
    const uniform = script.requests.filter((r) => r.scenario === 'uniform');
    expect(uniform.some((r) => r.url.includes('/l0/'))).toBe(false);
    // Every measured bid outbids the opening bids (amounts rise with the global index).
    const openingAmount = JSON.parse(opening[0]!.body!).amountCents;
    expect(Math.min(...hot.map((r) => JSON.parse(r.body!).amountCents))).toBe(amountAt(fixture.listings.length, def.listing.priceCents));
    expect(Math.min(...hot.map((r) => JSON.parse(r.body!).amountCents))).toBeGreaterThan(openingAmount);
    expect(plan.notes.join(' ')).toMatch(/pg_stat_database/);
  });

  it('notification-lag: the opening bid in setup(), then the one hot auction at the profile rate, the bids the in-repo runner sends', async () => {
    const definition = await readDefinitionFile(path.join(SCENARIOS, 'notification-lag.json'));
    const def = definition.scenario as Extract<typeof definition.scenario, { kind: 'notification-lag' }>;
    const hotOnly = { ...fixture, listings: ['l0'] };
    await expect(buildPlan(definition, { profile: 'test', fixture })).rejects.toThrow(/exactly the one hot listing/);
    const plan = await buildPlan(definition, { profile: 'test', fixture: hotOnly });
    const script = await loadK6Script(await generateK6Script(plan));
    (script.exports.setup as () => void)();
    const opening = script.requests.splice(0);
    expect(opening.map((r) => new URL(r.url).pathname)).toEqual(['/api/consumer/listings/l0/bids']);
    script.runAll();
    const { scenarios, thresholds } = script.exports.options;
    expect(Object.keys(scenarios)).toEqual(['hot']);
    expect(scenarios.hot).toMatchObject({ executor: 'constant-arrival-rate', rate: def.profiles.test.rate * 1000, duration: `${def.profiles.test.durationS * 1000}ms`, maxVUs: def.profiles.test.connections });
    expect(thresholds['http_req_duration{scenario:hot}']).toEqual([`p(99)<=${def.slo.p99Ms}`]);
    // The same bids, in the same order, as the in-repo runner's stream (lagRequest, which runNotificationLag sends).
    const expected = Array.from({ length: def.profiles.test.rate * def.profiles.test.durationS }, (_, n) => lagRequest(def, hotOnly, n));
    expect(script.requests.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.body} ${r.params.headers?.authorization}`)).toEqual(expected.map((e) => `${e.method} ${e.path} ${e.body} ${e.headers.authorization}`));
    expect(Math.min(...script.requests.map((r) => JSON.parse(r.body!).amountCents))).toBeGreaterThan(JSON.parse(opening[0]!.body!).amountCents);
    expect(script.requests[0]!.params.responseCallback).toEqual({ expectedStatuses: [201, 422] });
    expect(plan.notes.join(' ')).toMatch(/no notification_\* metric/);
  });

  it('every scenario kind in load/scenarios generates a k6 script that runs in the shim', async () => {
    const kinds = new Set<string>();
    for (const id of SCENARIO_IDS) {
      const definition = await readDefinitionFile(path.join(SCENARIOS, `${id}.json`));
      kinds.add(definition.scenario.kind);
      const fx = definition.scenario.kind === 'notification-lag' ? { ...fixture, listings: ['l0'] } : fixture;
      const script = await loadK6Script(await generateK6Script(await buildPlan(definition, { profile: 'test', fixture: fx })));
      (script.exports.setup as () => void)();
      script.requests.splice(0);
      script.runAll(2);
      expect(script.requests.length, id).toBeGreaterThan(0);
    }
    // Each of these kinds also has its own parity case above.
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  });

  it('compute-latency: the task-rate sweep as fast + task scenarios side by side, the fast route held to its SLO per step', async () => {
    const definition = await readDefinitionFile(path.join(SCENARIOS, 'compute-latency.json'));
    const def = definition.scenario as Extract<typeof definition.scenario, { kind: 'compute-latency' }>;
    const plan = await buildPlan(definition, { profile: 'full', fixture, mode: 'inline' });
    const script = await loadK6Script(await generateK6Script(plan));
    const { scenarios, thresholds } = script.exports.options;
    for (const rate of def.profiles.full.taskRates) {
      const suffix = String(rate).replace('.', '_'); // fractional receipts/s: 0.25 -> fast_0_25
      expect(thresholds[`http_req_duration{scenario:fast_${suffix}}`]).toEqual([`p(99)<=${def.fastRouteSloMs}`]);
      if (rate > 0) expect(scenarios[`task_${suffix}`]!.startTime).toBe(scenarios[`fast_${suffix}`]!.startTime);
    }
    expect(scenarios.task_0).toBeUndefined();
    script.iterate('task_1', 0);
    script.iterate('fast_1', 0);
    expect(script.requests[0]).toMatchObject({ method: 'POST', params: { timeout: '30000ms' } });
    expect(new URL(script.requests[0]!.url).pathname).toBe('/api/consumer/assistant/receipts/scan');
    expect(script.requests[1]).toMatchObject({ method: 'GET', params: { timeout: '10000ms' } });
    expect(plan.steps.find((s) => s.name === 'fast_1')?.label).toBe('inline task 1/s');
  });

  it('module-cost: per module a warm-up and its step at the module\'s rate, the module\'s routes alone, the stream the in-repo runner draws', async () => {
    const definition = await readDefinitionFile(path.join(SCENARIOS, 'module-cost.json'));
    const def = definition.scenario as Extract<typeof definition.scenario, { kind: 'module-cost' }>;
    const plan = await buildPlan(definition, { profile: 'quick', fixture });
    const script = await loadK6Script(await generateK6Script(plan));
    const { scenarios, thresholds } = script.exports.options;
    const modules = ['catalog', 'bidding', 'orders', 'notifications', 'assistant'];
    expect(Object.keys(scenarios)).toEqual(modules.flatMap((m) => [`warmup_${m}`, `module_${m}`]));
    const p = def.profiles.quick;
    expect(scenarios.module_assistant).toMatchObject({ rate: p.moduleRates!.assistant! * 1000, duration: `${p.stepDurationS * 1000}ms`, maxVUs: p.connections });
    expect(thresholds['http_req_failed{scenario:module_orders}']).toEqual([`rate<=${def.maxErrorRate}`]);
    script.runAll();
    // The in-repo runner's drive(): request n of a step is dauRequest(the module's routes, fixture, offset + n), offsets counting warm-ups.
    let offset = 0;
    const expected = plan.steps.flatMap((s) => {
      expect(s.offset).toBe(offset);
      const n = Math.floor(s.rate! * s.durationS);
      offset += n;
      const routes = def.routes.filter((r) => (s.stream as { routes: string[] }).routes.includes(r.name));
      return Array.from({ length: n }, (_, i) => {
        const e = dauRequest(routes, fixture, s.offset + i, DAU_SEED);
        return `${s.name} ${e.method} ${e.path} ${e.body ?? null}`;
      });
    });
    expect(script.requests.map((r) => `${r.scenario} ${r.method} ${new URL(r.url).pathname}${new URL(r.url).search} ${r.body}`)).toEqual(expected);
    const scans = script.requests.filter((r) => r.scenario?.endsWith('_assistant'));
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.every((r) => new URL(r.url).pathname === '/api/consumer/assistant/receipts/scan' && r.params.timeout === '30000ms')).toBe(true);
    expect(script.requests.filter((r) => r.scenario === 'module_catalog').every((r) => new URL(r.url).pathname.startsWith('/api/public/listings'))).toBe(true);
    expect(plan.notes.join(' ')).toMatch(/cannot read the app process's CPU time/);
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvidence } from 'archfit';
import { CONTEXT_PREFIX } from '../../reference-app/src/shared/auth/contexts.js';
import { REPO_ROOT } from '../runner/app-process.js';
import { moduleCostFigures, moduleCostMetrics, runModuleCost, type ModuleSample } from '../runner/module-cost.js';
import type { ProcReading } from '../runner/module-cost-proc.js';
import { appRoutes, attributeRoutes, checkoutRoot, modulePlan, routeOf } from '../runner/module-cost-routes.js';
import { runScenario } from '../runner/run-scenario.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import type { DauScenario, ModuleCostScenario } from '../scenarios/schema.js';
import { testRunContext } from './support/run-context.js';

const sample = (module: string, cpuMs: number, answered: number, errorRate = 0): ModuleSample => ({ module, cpuMs, wallMs: 2000, answered, errorRate, rssStartBytes: 100, rssEndBytes: 150 });

describe('module-cost: CPU per request per module and the ratio to the median', () => {
  it('subtracts the idle CPU for each step\'s wall time, takes the median of the modules, names the largest ratio', () => {
    // idle 5 CPU-ms/s over 2 s = 10 ms charged to no module.
    const fig = moduleCostFigures([sample('catalog', 110, 100), sample('bidding', 210, 100), sample('orders', 160, 50), sample('notifications', 60, 100), sample('assistant', 3010, 2)], 5, 0.01);
    expect(fig.modules.map((m) => [m.module, m.cpuMsPerRequest])).toEqual([['catalog', 1], ['bidding', 2], ['orders', 3], ['notifications', 0.5], ['assistant', 1500]]);
    expect(fig.medianMs).toBe(2);
    expect(fig.modules.map((m) => m.ratioToMedian)).toEqual([0.5, 1, 1.5, 0.25, 750]);
    expect(fig.max?.module).toBe('assistant');
    const { metrics, units, notes } = moduleCostMetrics(fig, 5, 1e9);
    expect(metrics).toMatchObject({ module_cpu_per_request_max_ratio: 750, module_cpu_per_request_median_ms: 2, cpu_ms_per_request_assistant: 1500, cpu_ratio_to_median_catalog: 0.5, modules_measured: 5, idle_cpu_ms_per_s: 5, rss_delta_bytes_catalog: 50, app_peak_rss_bytes: 1e9 });
    expect(units.module_cpu_per_request_max_ratio).toBe('ratio');
    expect(notes.join(' ')).toMatch(/Most divergent module: assistant, 1500 CPU-ms per request = 750x the median of 2 ms across 5 modules/);
  });

  it('an even count takes the mean of the middle two; a failing or unanswered step is reported but left out of the ratio', () => {
    const fig = moduleCostFigures([sample('a', 20, 10), sample('b', 40, 10), sample('c', 999, 10, 0.5), sample('d', 50, 0)], 0, 0.01);
    expect(fig.medianMs).toBe(3);
    expect(fig.modules.map((m) => [m.module, m.cpuMsPerRequest, m.ratioToMedian])).toEqual([['a', 2, 0.67], ['b', 4, 1.33], ['c', 99.9, null], ['d', null, null]]);
    expect(fig.modules[2]!.excluded).toMatch(/error rate 0.5 above 0.01/);
    const { metrics, notes } = moduleCostMetrics(fig, 0, undefined);
    expect(metrics.module_cpu_per_request_max_ratio).toBe(1.33);
    expect(metrics.modules_measured).toBe(2);
    expect(notes.filter((n) => /left out of the ratio/.test(n))).toHaveLength(2);
  });

  it('with fewer than two modules counted there is no ratio, and the metric is missing (never a pass)', () => {
    const fig = moduleCostFigures([sample('a', 20, 10), sample('b', 40, 0)], 0, 0.01);
    expect(fig.max).toBeNull();
    const { metrics, notes } = moduleCostMetrics(fig, 0, undefined);
    expect('module_cpu_per_request_max_ratio' in metrics).toBe(false);
    expect(notes.join(' ')).toMatch(/is missing/);
  });

  it('background CPU above a step\'s own reads zero, not negative', () => {
    expect(moduleCostFigures([sample('a', 5, 10), sample('b', 40, 10)], 10, 0.01).modules[0]!.cpuMsPerRequest).toBe(0);
  });
});

describe('module-cost: routes are charged to the module owning their route file', () => {
  it('reads the reference app\'s route files under its context prefixes', async () => {
    expect(checkoutRoot()).toBe(REPO_ROOT.replace(/\/$/, ''));
    const routes = await appRoutes(REPO_ROOT);
    for (const r of routes) expect(Object.values(CONTEXT_PREFIX).some((p) => r.path.startsWith(`${p}/`) || r.path === p)).toBe(true);
    expect(routes.find((r) => r.path === '/api/consumer/assistant/receipts/scan')).toMatchObject({ method: 'POST', module: 'assistant', file: 'reference-app/src/modules/assistant/api/routes/consumer.ts' });
  });

  it('the scenario covers the dau mix route for route, plus the assistant\'s receipt scan, each in its module', async () => {
    const { scenario } = await loadScenario('module-cost');
    const def = scenario as ModuleCostScenario;
    const dau = (await loadScenario('dau')).scenario as DauScenario;
    // The dau mix, byte for byte: the module costs are measured on the requests the capacity search sends.
    expect(def.routes.slice(0, dau.mix.length)).toEqual(dau.mix);
    expect(def.routes.slice(dau.mix.length).map((r) => r.name)).toEqual(['receipt-scan']);
    const attributed = attributeRoutes(def.routes, await appRoutes(REPO_ROOT));
    expect(Object.fromEntries(attributed.map((a) => [a.template.name, a.route.module]))).toEqual({
      browse: 'catalog', search: 'catalog', view: 'catalog', auction: 'bidding', bid: 'bidding', checkout: 'orders', notifications: 'notifications', 'receipt-scan': 'assistant',
    });
    const plan = await modulePlan(def, def.profiles.full);
    expect(plan.map((g) => [g.module, g.rate])).toEqual([['catalog', 40], ['bidding', 40], ['orders', 40], ['notifications', 40], ['assistant', 0.5]]);
  });

  it('a route no file registers stops the run; the most literal route wins over a parameter', async () => {
    const routes = await appRoutes(REPO_ROOT);
    expect(() => attributeRoutes([{ name: 'ghost', method: 'GET', path: '/api/public/ghosts' }], routes)).toThrow(/registers ghost \(GET \/api\/public\/ghosts\)/);
    const fake = [
      { method: 'GET', path: '/api/public/listings/:id', module: 'catalog', file: 'a', line: 1 },
      { method: 'GET', path: '/api/public/listings/featured', module: 'promotions', file: 'b', line: 1 },
    ];
    expect(routeOf({ method: 'GET', path: '/api/public/listings/featured?limit=3' }, fake)?.module).toBe('promotions');
    expect(routeOf({ method: 'GET', path: '/api/public/listings/{listing}' }, fake)?.module).toBe('catalog');
  });
});

// Against the real app (test profile: two cheap modules, seconds): once with CPU readings
// injected, so the arithmetic end to end is exact; once as `archfit load` runs it, for the evidence.
describe('module-cost against the reference app (test profile)', () => {
  let dir: string;
  const ctx = () => testRunContext(dir);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'archfit-module-cost-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('injected CPU readings: idle window, then catalog and notifications, each step its own CPU delta', async () => {
    const def = (await loadScenario('module-cost')).scenario as ModuleCostScenario;
    // Calls: idle start, idle end, then before/after per module, then the peak. No idle CPU; catalog 40 ms, notifications 100 ms.
    const cpu = [0, 0, 0, 40, 40, 140, 140];
    let call = 0;
    const proc = async (): Promise<ProcReading> => ({ cpuMs: cpu[Math.min(call++, cpu.length - 1)]!, rssBytes: 1000 * call, peakRssBytes: 5000 });
    const out = await runModuleCost(def, ctx(), proc);
    expect(out.steps.map((s) => [s.label, s.requests, s.errors.total])).toEqual([['module catalog', 20, 0], ['module notifications', 20, 0]]);
    expect(out.metrics).toMatchObject({ cpu_ms_per_request_catalog: 2, cpu_ms_per_request_notifications: 5, module_cpu_per_request_median_ms: 3.5, module_cpu_per_request_max_ratio: 1.43, idle_cpu_ms_per_s: 0, app_peak_rss_bytes: 5000 });
    expect(out.steps[1]!.extra).toMatchObject({ cpu_ms: 100, cpu_ms_per_request: 5, cpu_ratio_to_median: 1.43, rss_end_bytes: 6000 });
    expect(out.notes.join(' ')).toMatch(/Most divergent module: notifications/);
  }, 120_000);

  it('as the runner writes it: evidence that validates, a step per module, the threshold judged from the metric or missing', async () => {
    const run = await runScenario('module-cost', ctx());
    const read = await readEvidence('/', run.file);
    if (!read.ok) throw new Error(read.reason);
    const ev = read.evidence;
    expect(ev.steps.map((s) => s.labels.module)).toEqual(['catalog', 'notifications']);
    for (const s of ev.steps) expect(s.extra.cpu_ms).toBeGreaterThanOrEqual(0);
    const t = ev.thresholds.find((x) => x.id === 'divergent-cost')!;
    expect(t.actual).toBe(ev.metrics.module_cpu_per_request_max_ratio ?? null);
    expect(ev.metrics.app_peak_rss_bytes).toBeGreaterThan(0);
    const html = await readFile(run.reports.html, 'utf8');
    expect(html).toContain('App CPU per answered request, per module');
    expect(html).toContain('<svg');
  }, 120_000);
});

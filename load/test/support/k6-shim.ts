import vm from 'node:vm';
import { transform } from 'esbuild';

/** One call of http.request, as the generated script made it. */
export interface ShimRequest {
  scenario: string;
  iteration: number;
  method: string;
  url: string;
  body: string | null;
  params: { headers?: Record<string, string>; tags?: Record<string, string>; timeout?: string; responseCallback?: unknown };
}

export interface LoadedScript {
  exports: Record<string, unknown> & { options: { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]>; summaryTrendStats?: string[] } };
  requests: ShimRequest[];
  globalCallback: unknown;
  /** Runs iteration `i` of a scenario the way k6 would: exec.scenario set, the scenario's exec function called. */
  iterate(scenario: string, i: number): void;
  /** Every iteration an arrival-rate scenario starts (rate x duration / timeUnit), or `closed` iterations of a constant-vus one. */
  runAll(closedIterations?: number): void;
}

const ms = (d: unknown): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(String(d));
  if (!m) throw new Error(`unparsed duration ${String(d)}`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
};

/**
 * A small stand-in for k6's runtime: `k6`, `k6/http` and `k6/execution` as fakes that record
 * what the script asks for. The script (ESM, as k6 gets it) becomes CommonJS with esbuild and
 * runs in its own vm context, so nothing of Node leaks in but what k6 would offer (`__ENV`).
 */
export async function loadK6Script(code: string, env: Record<string, string> = {}, status: (method: string, url: string) => number = () => 200): Promise<LoadedScript> {
  const { code: cjs } = await transform(code, { format: 'cjs', loader: 'js', target: 'es2017' });
  const requests: ShimRequest[] = [];
  const current = { name: '', iterationInTest: 0 };
  let globalCallback: unknown;
  const http = {
    request(method: string, url: string, body: string | null, params: ShimRequest['params']) {
      requests.push({ scenario: current.name, iteration: current.iterationInTest, method, url, body, params });
      return { status: status(method, url) };
    },
    expectedStatuses: (...statuses: unknown[]) => ({ expectedStatuses: statuses }),
    setResponseCallback(cb: unknown) {
      globalCallback = cb;
    },
  };
  const modules: Record<string, unknown> = {
    k6: { __esModule: true, check: (v: unknown, sets: Record<string, (v: unknown) => boolean>) => Object.values(sets).every((f) => f(v)), sleep: () => {} },
    'k6/http': { __esModule: true, default: http, ...http },
    'k6/execution': { __esModule: true, default: { scenario: current } },
  };
  const module = { exports: {} as Record<string, unknown> };
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`the script imports ${name}, which the k6 shim (and a bundled script) should not need`);
    return modules[name];
  };
  vm.runInNewContext(cjs, { module, exports: module.exports, require, __ENV: env, JSON, Math, Date, Error });
  const exports = module.exports as LoadedScript['exports'];
  const iterate = (scenario: string, i: number) => {
    const sc = exports.options.scenarios[scenario];
    if (!sc) throw new Error(`no scenario ${scenario}`);
    current.name = scenario;
    current.iterationInTest = i;
    (exports[String(sc.exec)] as () => void)();
  };
  const runAll = (closedIterations = 5) => {
    const ordered = Object.entries(exports.options.scenarios).sort((a, b) => ms(a[1].startTime) - ms(b[1].startTime));
    for (const [name, sc] of ordered) {
      const n = sc.executor === 'constant-vus' ? closedIterations : Math.floor((Number(sc.rate) * ms(sc.duration)) / ms(sc.timeUnit));
      for (let i = 0; i < n; i++) iterate(name, i);
    }
  };
  return { exports, requests, get globalCallback() { return globalCallback; }, iterate, runAll };
}

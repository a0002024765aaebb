// The k6 side of a generated script (load/runner/k6-generate.ts bundles this file, the seeded
// streams and the plan into one script, so nothing is read with a relative open()).
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import type { K6Plan, K6Step } from '../../runner/k6-plan.ts';
import { openingBid } from '../../runner/http-mix-stream.ts';
import { stepRequest } from '../../runner/k6-plan.ts';

const seconds = (s: number) => `${Math.round(s * 1000)}ms`;

/** The exported function a step's scenario runs: prefixed, so a step name never clashes with k6's own exports. */
export const execName = (step: string) => `step_${step}`;

/** One k6 scenario per step: arrival-rate steps (open model) with VUs capped at the pool's connections. */
export function k6Options(plan: K6Plan): Options {
  const scenarios: NonNullable<Options['scenarios']> = {};
  for (const s of plan.steps) {
    scenarios[s.name] =
      s.rate === null
        ? { executor: 'constant-vus', vus: s.vus ?? s.connections, duration: seconds(s.durationS), startTime: seconds(s.startTimeS), exec: execName(s.name), gracefulStop: seconds(s.timeoutS) }
        : {
            executor: 'constant-arrival-rate',
            rate: Math.round(s.rate * 1000),
            timeUnit: '1000s',
            duration: seconds(s.durationS),
            startTime: seconds(s.startTimeS),
            preAllocatedVUs: s.connections,
            maxVUs: s.connections,
            exec: execName(s.name),
            gracefulStop: seconds(s.timeoutS),
          };
  }
  return {
    scenarios,
    thresholds: plan.thresholds,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'],
    setupTimeout: '120s',
  };
}

function expected(statuses: number[]) {
  return statuses.length ? http.expectedStatuses(...statuses) : http.expectedStatuses({ min: 200, max: 299 });
}

function target(plan: K6Plan): string {
  return __ENV.TARGET || plan.baseUrl;
}

/** Sends request `iterationInTest` of the step named like the running scenario. */
export function runStep(plan: K6Plan, name: string): void {
  const step: K6Step | undefined = plan.steps.find((s) => s.name === name);
  if (!step) throw new Error(`no step ${name} in the plan`);
  const req = stepRequest(plan, step, exec.scenario.iterationInTest, __ENV);
  const res = http.request(req.method, target(plan) + req.path, req.body ?? null, {
    headers: req.headers,
    tags: { name: req.name },
    timeout: seconds(step.timeoutS),
    responseCallback: expected(req.expect),
  });
  const ok = req.expect.length ? req.expect.indexOf(res.status) >= 0 : res.status >= 200 && res.status < 300;
  check(res, { [`${req.name} answered as expected`]: () => ok });
}

/** Init context: statuses outside 200-299 are failures unless a request says otherwise (per-request callbacks). */
export function initDefaults(): void {
  http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }));
}

/** write-contention set-up: one bid per listing opens its auction row before anything is measured. */
export function setupPlan(plan: K6Plan): void {
  if (!plan.app?.openingBids || !plan.app.templates.write) return;
  for (let i = 0; i < plan.app.fixture.listings.length; i++) {
    const req = openingBid(plan.app.templates.write, plan.app.fixture, i, plan.app.startCents);
    http.request(req.method, target(plan) + req.path, req.body ?? null, { headers: req.headers, tags: { name: 'opening bid' }, timeout: '10s', responseCallback: expected(req.expect) });
  }
}

/** Writes k6's summary with the plan's identity, so `archfit load --import` can check what ran. */
export function summaryFiles(plan: K6Plan, data: object): Record<string, string> {
  const file = __ENV.ARCHFIT_SUMMARY || `${plan.scenario}-k6-summary.json`;
  const archfit = { scenario: plan.scenario, kind: plan.kind, definitionHash: plan.definitionHash, profile: plan.profile, finishedAt: new Date().toISOString(), k6Version: __ENV.K6_VERSION || 'unknown', target: target(plan), steps: plan.steps.map((s) => ({ name: s.name, phase: s.phase, label: s.label, labels: s.labels, rate: s.rate, durationS: s.durationS })) };
  return { [file]: JSON.stringify({ ...data, archfit }, null, 2), stdout: `archfit: k6 summary written to ${file}; turn it into evidence with: archfit load --import ${file} --definition <${plan.scenario}.json>\n` };
}

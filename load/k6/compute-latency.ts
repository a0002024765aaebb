import type { Options } from 'k6/options';
import { profileName, readDefinition, readFixture, type RequestTemplate } from './lib/definition.ts';
import { send } from './lib/send.ts';

interface ComputeDefinition {
  fast: RequestTemplate;
  task: RequestTemplate;
  expectedTaskRate: number;
  fastRouteSloMs: number;
  profiles: Record<'full' | 'quick' | 'test', { fastRate: number; stepDurationS: number }>;
}

const def = readDefinition<ComputeDefinition>('compute-latency');
const fx = readFixture();
const p = def.profiles[profileName()];
const duration = `${p.stepDurationS * 3}s`;

// The fast route and the task at the expected rate, side by side, both open-model.
export const options: Options = {
  scenarios: {
    fast: { executor: 'constant-arrival-rate', rate: p.fastRate, timeUnit: '1s', duration, preAllocatedVUs: 20, maxVUs: 200, exec: 'fastRoute' },
    task: { executor: 'constant-arrival-rate', rate: Math.max(1, def.expectedTaskRate), timeUnit: '1s', duration, preAllocatedVUs: 10, maxVUs: 100, exec: 'computeTask' },
  },
  thresholds: {
    'http_req_duration{scenario:fast}': [`p(99)<${def.fastRouteSloMs}`],
    dropped_iterations: ['count==0'],
  },
  summaryTrendStats: ['med', 'p(90)', 'p(99)', 'max'],
};

export function fastRoute(): void {
  send(def.fast, fx, '');
}

export function computeTask(): void {
  send(def.task, fx, '');
}

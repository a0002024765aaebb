import type { Options } from 'k6/options';
import { profileName, readDefinition, readFixture, type RequestTemplate } from './lib/definition.ts';
import { send } from './lib/send.ts';

interface ContentionDefinition {
  write: RequestTemplate;
  slo: { p99Ms: number; maxErrorRate: number };
  profiles: Record<'full' | 'quick' | 'test', { rate: number; durationS: number }>;
}

const def = readDefinition<ContentionDefinition>('write-contention');
const fx = readFixture();
const p = def.profiles[profileName()];
const hot = fx.listings[0] ?? '';
const uniform = fx.listings.slice(1);

export const options: Options = {
  scenarios: {
    hot: { executor: 'constant-arrival-rate', rate: p.rate, timeUnit: '1s', duration: `${p.durationS}s`, preAllocatedVUs: 50, maxVUs: 400, exec: 'hotRow' },
    uniform: { executor: 'constant-arrival-rate', rate: p.rate, timeUnit: '1s', duration: `${p.durationS}s`, startTime: `${p.durationS + 2}s`, preAllocatedVUs: 50, maxVUs: 400, exec: 'uniformRows' },
  },
  thresholds: {
    'http_req_duration{scenario:hot}': [`p(99)<${def.slo.p99Ms}`],
    'http_req_duration{scenario:uniform}': [`p(99)<${def.slo.p99Ms}`],
    dropped_iterations: ['count==0'],
  },
  summaryTrendStats: ['med', 'p(90)', 'p(99)', 'max'],
};

export function hotRow(): void {
  send(def.write, fx, hot);
}

export function uniformRows(): void {
  send(def.write, fx, uniform[Math.floor(Math.random() * uniform.length)] ?? hot);
}

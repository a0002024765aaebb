import type { Options } from 'k6/options';
import { profileName, readDefinition, readFixture, type RequestTemplate } from './lib/definition.ts';
import { send } from './lib/send.ts';

interface DauProfile {
  startRate: number;
  stepFactor: number;
  maxRate: number;
  maxSteps: number;
  stepDurationS: number;
}
interface DauDefinition {
  mix: RequestTemplate[];
  slo: { p99Ms: number; maxErrorRate: number };
  profiles: Record<'full' | 'quick' | 'test', DauProfile>;
}

const def = readDefinition<DauDefinition>('dau');
const fx = readFixture();
const p = def.profiles[profileName()];

// The capacity search as one ramping-arrival-rate scenario: a hold at each rate of the search.
const stages: Array<{ target: number; duration: string }> = [];
for (let rate = p.startRate, i = 0; i < p.maxSteps && rate <= p.maxRate; i++, rate = Math.round(rate * p.stepFactor)) {
  stages.push({ target: rate, duration: '1s' }, { target: rate, duration: `${p.stepDurationS}s` });
}

export const options: Options = {
  scenarios: {
    search: {
      executor: 'ramping-arrival-rate',
      startRate: p.startRate,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 500,
      stages,
    },
  },
  thresholds: {
    http_req_duration: [{ threshold: `p(99)<${def.slo.p99Ms}`, abortOnFail: true, delayAbortEval: '5s' }],
    http_req_failed: [`rate<${def.slo.maxErrorRate}`],
    // An open model is only honest if every scheduled iteration ran.
    dropped_iterations: ['count==0'],
  },
  summaryTrendStats: ['med', 'p(90)', 'p(99)', 'max'],
};

const total = def.mix.reduce((s, m) => s + (m.weight ?? 1), 0);

export default function (): void {
  let r = Math.random() * total;
  const t = def.mix.find((m) => (r -= m.weight ?? 1) < 0) ?? def.mix[def.mix.length - 1]!;
  const listing = fx.listings[Math.floor(Math.random() * fx.listings.length)] ?? '';
  send(t, fx, listing);
}

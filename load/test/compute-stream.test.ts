import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeRequest, computeSteps } from '../runner/compute-latency.js';
import { readDefinitionFile } from '../runner/http-mix-definition.js';
import { buildPlan } from '../runner/k6-generate.js';
import { stepRequest } from '../runner/k6-plan.js';
import type { ProfileName } from '../scenarios/schema.js';

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scenarios');
// What the runner seeds for compute-latency: consumer tokens, no listing.
const fixture = { tokens: { consumer: ['c1', 'c2'], seller: ['s1'], admin: [] }, listings: ['none'] };

// compute-latency keeps its own kind (modes, the sweep, the loop probe) but draws its requests
// from the shared seeded stream: step for step, request for request, what the k6 script sends.
describe('compute-latency: the in-repo runner and the generated k6 script send the same stream', () => {
  it.each(['full', 'quick', 'test'] as ProfileName[])('%s profile', async (profile) => {
    const definition = await readDefinitionFile(path.join(SCENARIOS, 'compute-latency.json'));
    const def = definition.scenario as Extract<typeof definition.scenario, { kind: 'compute-latency' }>;
    const plan = await buildPlan(definition, { profile, fixture, mode: def.currentMode });
    const { warmup, sweep } = computeSteps(def.profiles[profile]);
    const ours = [...warmup, ...sweep.flatMap((s) => (s.task ? [s.fast, s.task] : [s.fast]))];
    expect(ours.map((s) => [s.which, s.rate, s.durationS, s.offset])).toEqual(plan.steps.map((k) => [(k.stream as { which: string }).which, k.rate, k.durationS, k.offset]));
    expect(sweep.map((s) => s.taskRate)).toEqual(def.profiles[profile].taskRates);
    ours.forEach((s, i) => {
      const k = plan.steps[i]!;
      const template = s.which === 'fast' ? def.fast : def.task;
      const sent = Array.from({ length: Math.floor(s.rate * s.durationS) }, (_, n) => computeRequest(template, fixture, s.offset + n));
      expect(sent, k.name).toEqual(sent.map((_, n) => stepRequest(plan, k, n, {})));
    });
    // The task's bearer tokens rotate over the seeded consumers by global index.
    const tasks = ours.filter((s) => s.which === 'task' && s.rate * s.durationS >= 2);
    expect(new Set(tasks.flatMap((s) => [0, 1].map((n) => computeRequest(def.task, fixture, s.offset + n).headers.authorization)))).toEqual(new Set(['Bearer c1', 'Bearer c2']));
  });
});

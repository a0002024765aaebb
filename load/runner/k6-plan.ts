// The plan a generated k6 script runs: computed in Node from a definition (k6-generate.ts),
// embedded in the script as data, read by load/k6/lib/runtime.ts. Plain data only.

import { appRequest, amountAt, contentionRequest, dauRequest, mixRequest } from './http-mix-stream.js';
import type { AppFixture, AppTemplate, MixStreamDefinition, StreamRequest } from './http-mix-stream.js';

/** Which seeded stream a k6 scenario draws its requests from. */
export type K6Stream =
  | { kind: 'mix' }
  | { kind: 'dau' }
  | { kind: 'contention'; rows: 'hot' | 'uniform' }
  | { kind: 'compute'; which: 'fast' | 'task' }
  | { kind: 'module'; module: string; routes: string[] };

export interface K6Step {
  /** k6 scenario name and `exec` function name. */
  name: string;
  /** What the step means for the evidence: warmup (never measured), search, fixed, hot, uniform, ceiling, fast, task. */
  phase: string;
  /** The in-repo runner's step label, so evidence from both runners reads alike. */
  label: string;
  labels: Record<string, string>;
  /** Arrival rate per second (open model), or null for the closed-model ceiling run. */
  rate: number | null;
  /** Closed model only: VUs looping as fast as answers come. */
  vus?: number;
  durationS: number;
  startTimeS: number;
  /** Global request index of this step's first request (the seeded stream is indexed by it). */
  offset: number;
  /** VUs = connections: k6 keeps one keep-alive connection per VU, like the runner's pool. */
  connections: number;
  timeoutS: number;
  stream: K6Stream;
}

export interface K6Plan {
  scenario: string;
  kind: string;
  definitionHash: string;
  profile: string;
  baseUrl: string;
  seed: number;
  slo: { p99Ms: number; maxErrorRate: number } | null;
  steps: K6Step[];
  thresholds: Record<string, string[]>;
  mix?: { def: MixStreamDefinition; csv: Record<string, Array<Record<string, string>>>; envNames: string[] };
  app?: { fixture: AppFixture; mix: AppTemplate[]; templates: Partial<Record<'write' | 'fast' | 'task', AppTemplate>>; startCents: number; openingBids: boolean };
  /** What the k6 run cannot measure that the in-repo runner does (copied into the imported evidence). */
  notes: string[];
}

/** One request a step sends, for the parity test and the runtime alike. */
export type PlannedRequest = StreamRequest;

/**
 * Request `i` of a step: the same seeded stream the in-repo runner draws from, at the same
 * global index (`step.offset + i`). Used by the k6 runtime and by the parity test.
 */
export function stepRequest(plan: K6Plan, step: K6Step, i: number, env: Record<string, string | undefined>): StreamRequest {
  const g = step.offset + i;
  const s = step.stream;
  if (s.kind === 'mix') {
    if (!plan.mix) throw new Error('plan has no mix');
    return mixRequest(plan.mix.def, { csv: plan.mix.csv, env }, g);
  }
  if (!plan.app) throw new Error('plan has no app fixture');
  const { fixture, mix, templates, startCents } = plan.app;
  if (s.kind === 'dau') return dauRequest(mix, fixture, g, plan.seed);
  // module-cost: the module's routes alone, in the definition's order, drawn like the dau stream.
  if (s.kind === 'module') return dauRequest(mix.filter((t) => s.routes.includes(t.name)), fixture, g, plan.seed);
  if (s.kind === 'contention') return contentionRequest(templates.write!, fixture, s.rows, g, plan.seed + (s.rows === 'hot' ? 1 : 2), startCents);
  const t = templates[s.which]!;
  return appRequest(t, fixture, g, { listing: fixture.listings[0] ?? 'none', amount: amountAt(g, startCents) });
}

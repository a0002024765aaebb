import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError } from '../scenarios/load-scenario.js';
import type { AnyScenario, ComputeScenario, ContentionScenario, DauScenario, HttpMixScenario, ModuleCostScenario, NotificationLagScenario, ProfileName, Threshold } from '../scenarios/schema.js';
import { loadMixData, type DefinitionFile } from './http-mix-definition.js';
import { plannedSteps } from './http-mix-search.js';
import { DAU_SEED, type AppFixture, type AppTemplate } from './http-mix-stream.js';
import type { K6Plan, K6Step, K6Stream } from './k6-plan.js';
import { modulePlan } from './module-cost-routes.js';
import { writeTemplate } from './notification-lag-stream.js';

/** Per-request timeouts, as in the in-repo runner: 10 s, and 30 s for compute tasks. */
const TIMEOUT_S = 10;
const TASK_TIMEOUT_S = 30;

export interface PlanOptions {
  profile: ProfileName;
  /** The reference-app kinds need what the runner seeded (tokens, listing ids). */
  fixture?: AppFixture;
  /** write-contention: the BID_STRATEGY the app under test runs (default: the definition's current one). */
  strategy?: string;
  /** compute-latency: the ASSISTANT_EXECUTION mode the app under test runs (default: the current one). */
  mode?: string;
  /** The URL the script targets unless k6 is given `-e TARGET=...`. */
  baseUrl?: string;
}

class StepList {
  readonly steps: K6Step[] = [];
  private clock = 0;
  private offset = 0;

  constructor(offset = 0) {
    this.offset = offset;
  }

  /** Steps run one after another, with a gap of the request timeout so one step's stragglers never overlap the next. */
  add(step: Omit<K6Step, 'startTimeS' | 'offset'>, alongside?: K6Step): K6Step {
    const full: K6Step = { ...step, startTimeS: alongside ? alongside.startTimeS : this.clock, offset: this.offset };
    this.steps.push(full);
    // A closed-model run has no planned count; give it room no open step's index can reach.
    this.offset += step.rate === null ? 1_000_000 : Math.floor(step.rate * step.durationS);
    if (!alongside) this.clock += step.durationS + step.timeoutS;
    else this.clock = Math.max(this.clock, full.startTimeS + step.durationS + step.timeoutS);
    return full;
  }
}

function sloThresholds(plan: Record<string, string[]>, step: K6Step, slo: { p99Ms: number; maxErrorRate: number }): void {
  const s = `{scenario:${step.name}}`;
  plan[`http_req_duration${s}`] = [`p(99)<=${slo.p99Ms}`];
  plan[`http_req_failed${s}`] = [`rate<=${slo.maxErrorRate}`];
  // The runner counts a request it could not send as an error; k6 counts it as a dropped iteration.
  plan[`dropped_iterations${s}`] = [`count<=${Math.floor(slo.maxErrorRate * Math.floor((step.rate ?? 0) * step.durationS))}`];
  plan[`http_reqs${s}`] = ['count>=0'];
}

function step(name: string, phase: string, label: string, labels: Record<string, string>, rate: number | null, durationS: number, connections: number, stream: K6Stream, timeoutS = TIMEOUT_S): Omit<K6Step, 'startTimeS' | 'offset'> {
  return { name, phase, label, labels, rate, durationS, connections, timeoutS, stream };
}

function profileOf<T>(profiles: Partial<Record<ProfileName, T>>, profile: ProfileName, id: string): T {
  const p = profiles[profile];
  if (!p) throw new ScenarioError(`${id} has no ${profile} profile`);
  return p;
}

function needFixture(def: AnyScenario, opts: PlanOptions): AppFixture {
  if (!opts.fixture) throw new ScenarioError(`${def.id} (${def.kind}) runs against the reference app seeded by the runner: generate it with \`archfit load ${def.id} --runner k6\` in the archfit repository, or pass --fixture <tokens and listing ids as JSON>`);
  return opts.fixture;
}

async function mixPlan(def: HttpMixScenario, file: string, opts: PlanOptions, base: Omit<K6Plan, 'steps' | 'thresholds' | 'notes'>): Promise<K6Plan> {
  const p = profileOf(def.profiles, opts.profile, def.id);
  // CSV rows are bundled into the script; {env.X} stays a k6 environment variable (secrets never land in the script).
  const data = await loadMixData(def, file, new Proxy({}, { get: () => '' }) as Record<string, string>);
  const envNames = [...new Set(def.requests.flatMap((r) => JSON.stringify([r.path, r.headers ?? {}, r.body ?? null, def.headers ?? {}]).match(/\{env\.([A-Za-z0-9_]+)\}/g) ?? []))].map((m) => m.slice(5, -1));
  const list = new StepList();
  const planned = plannedSteps(p);
  const thresholds: Record<string, string[]> = {};
  if (p.warmupS > 0) list.add(step('warmup', 'warmup', `warm-up ${planned[0]!.rate}/s`, { phase: 'warmup' }, planned[0]!.rate, p.warmupS, p.connections, { kind: 'mix' }));
  for (const s of planned) {
    const label = s.phase === 'fixed' ? s.name : `search ${s.rate}/s`;
    const k = list.add(step(s.name, s.phase, label, { phase: s.phase, step: s.name }, s.rate, p.stepDurationS, p.connections, { kind: 'mix' }));
    sloThresholds(thresholds, k, def.slo);
  }
  const notes = 'search' in p.steps && p.steps.search.refineSteps > 0 ? [`k6 runs the ${planned.length} rising steps of the search as planned; the ${p.steps.search.refineSteps} bisection step(s) after the first failure need a second run (the in-repo runner bisects in one).`] : [];
  return { ...base, seed: def.seed, slo: def.slo, steps: list.steps, thresholds, mix: { def, csv: data.csv, envNames }, notes };
}

function dauPlan(def: DauScenario, opts: PlanOptions, base: Omit<K6Plan, 'steps' | 'thresholds' | 'notes'>): K6Plan {
  const p = def.profiles[opts.profile];
  const fixture = needFixture(def, opts);
  const list = new StepList();
  const thresholds: Record<string, string[]> = {};
  if (p.warmupS > 0) list.add(step('warmup', 'warmup', `warm-up ${p.startRate}/s`, { phase: 'warmup' }, p.startRate, p.warmupS, p.connections, { kind: 'dau' }));
  for (let rate = p.startRate, i = 0; i < p.maxSteps && rate <= p.maxRate; i++, rate = Math.round(rate * p.stepFactor)) {
    const k = list.add(step(`search_${rate}`, 'search', `search ${rate}/s`, { phase: 'search' }, rate, p.stepDurationS, p.connections, { kind: 'dau' }));
    sloThresholds(thresholds, k, def.slo);
  }
  const notes = p.refineSteps > 0 ? [`k6 runs the rising steps of the search as planned; the ${p.refineSteps} bisection step(s) after the first failure need a second run.`] : [];
  return { ...base, seed: DAU_SEED, slo: def.slo, steps: list.steps, thresholds, app: { fixture, mix: def.mix, templates: {}, startCents: 1000, openingBids: false }, notes };
}

function contentionPlan(def: ContentionScenario, opts: PlanOptions, base: Omit<K6Plan, 'steps' | 'thresholds' | 'notes'>): K6Plan {
  const p = def.profiles[opts.profile];
  const fixture = needFixture(def, opts);
  const strategy = opts.strategy ?? def.currentStrategy;
  if (!def.strategies.includes(strategy)) throw new ScenarioError(`${def.id}: unknown strategy ${strategy} (known: ${def.strategies.join(', ')})`);
  // The opening bids take the first indices, so every measured bid outbids them.
  const list = new StepList(fixture.listings.length);
  const thresholds: Record<string, string[]> = {};
  for (const rows of ['hot', 'uniform'] as const) {
    const k = list.add(step(rows, rows, `${strategy} ${rows}`, { strategy, rows }, p.rate, p.durationS, p.connections, { kind: 'contention', rows }));
    sloThresholds(thresholds, k, def.slo);
  }
  if (p.ceilingDurationS > 0) {
    const k = list.add({ ...step('ceiling', 'ceiling', `${strategy} hot ceiling`, { strategy, rows: 'hot', run: 'ceiling' }, null, p.ceilingDurationS, p.ceilingConnections, { kind: 'contention', rows: 'hot' }), vus: p.ceilingConnections });
    thresholds[`http_reqs{scenario:${k.name}}`] = ['count>=0'];
    thresholds[`http_reqs{scenario:${k.name},expected_response:true}`] = ['count>=0'];
  }
  const write = { ...def.write, expect: def.write.expect ?? [201, 422] };
  return biddingPlan(base, def.slo, list, thresholds, { fixture, write, startCents: def.listing.priceCents }, [
    `One k6 run measures the strategy the app was started with (${strategy}); \`archfit load write-contention --runner k6\` starts the app once per strategy.`,
    'k6 cannot read PostgreSQL: lock waits and pg_stat_database counters (retries, rollbacks, deadlocks) are not in this evidence.',
  ]);
}

/** A plan of bids whose `setup()` opens each listing's auction with one bid first (write-contention, notification-lag). */
function biddingPlan(base: Omit<K6Plan, 'steps' | 'thresholds' | 'notes'>, slo: K6Plan['slo'], list: StepList, thresholds: Record<string, string[]>, bids: { fixture: AppFixture; write: AppTemplate; startCents: number }, notes: string[]): K6Plan {
  return { ...base, seed: 0, slo, steps: list.steps, thresholds, app: { fixture: bids.fixture, mix: [], templates: { write: bids.write }, startCents: bids.startCents, openingBids: true }, notes };
}

function computePlan(def: ComputeScenario, opts: PlanOptions, base: Omit<K6Plan, 'steps' | 'thresholds' | 'notes'>): K6Plan {
  const p = def.profiles[opts.profile];
  const fixture = needFixture(def, opts);
  const mode = opts.mode ?? def.currentMode;
  const list = new StepList();
  const thresholds: Record<string, string[]> = {};
  const warmS = Math.min(1.5, p.stepDurationS);
  const warmTask = Math.max(1, Math.min(...p.taskRates.filter((r) => r > 0), 4));
  const wf = list.add(step('warmup_fast', 'warmup', 'warm-up fast', { phase: 'warmup' }, p.fastRate, warmS, p.connections, { kind: 'compute', which: 'fast' }));
  list.add(step('warmup_task', 'warmup', 'warm-up task', { phase: 'warmup' }, warmTask, warmS, p.connections, { kind: 'compute', which: 'task' }, TASK_TIMEOUT_S), wf);
  for (const taskRate of p.taskRates) {
    const suffix = String(taskRate).replace('.', '_');
    const fast = list.add(step(`fast_${suffix}`, 'fast', `${mode} task ${taskRate}/s`, { mode, taskRate: String(taskRate) }, p.fastRate, p.stepDurationS, p.connections, { kind: 'compute', which: 'fast' }));
    thresholds[`http_req_duration{scenario:${fast.name}}`] = [`p(99)<=${def.fastRouteSloMs}`];
    thresholds[`http_req_failed{scenario:${fast.name}}`] = ['rate<=0'];
    thresholds[`dropped_iterations{scenario:${fast.name}}`] = ['count<=0'];
    thresholds[`http_reqs{scenario:${fast.name}}`] = ['count>=0'];
    if (taskRate > 0) {
      const task = list.add(step(`task_${suffix}`, 'task', `${mode} task ${taskRate}/s (task)`, { mode, taskRate: String(taskRate) }, taskRate, p.stepDurationS, p.connections, { kind: 'compute', which: 'task' }, TASK_TIMEOUT_S), fast);
      thresholds[`http_req_duration{scenario:${task.name}}`] = ['p(99)>=0'];
    }
  }
  return {
    ...base,
    seed: 0,
    slo: { p99Ms: def.fastRouteSloMs, maxErrorRate: 0 },
    steps: list.steps,
    thresholds,
    app: { fixture, mix: [], templates: { fast: def.fast, task: def.task }, startCents: 0, openingBids: false },
    notes: [
      `One k6 run measures the execution mode the app was started with (${mode}); \`archfit load compute-latency --runner k6\` starts the app once per mode.`,
      'k6 cannot see inside the app: event-loop delay, loop utilisation and CPU share (the in-repo runner\'s preloaded probe) are not in this evidence.',
    ],
  };
}

/**
 * notification-lag: the opening bid in `setup()`, then the hot auction's bids at the profile's
 * rate: write-contention's hot stream (the in-repo runner draws the same one). The lag itself is
 * read from the database, which k6 cannot do.
 */
function lagPlan(def: NotificationLagScenario, opts: PlanOptions, base: Omit<K6Plan, 'steps' | 'thresholds' | 'notes'>): K6Plan {
  const p = def.profiles[opts.profile];
  const fixture = needFixture(def, opts);
  if (fixture.listings.length !== 1) throw new ScenarioError(`${def.id}: the fixture must hold exactly the one hot listing, not ${fixture.listings.length}`);
  const list = new StepList(fixture.listings.length);
  const thresholds: Record<string, string[]> = {};
  const k = list.add(step('hot', 'hot', `hot auction ${p.rate}/s`, { rows: 'hot' }, p.rate, p.durationS, p.connections, { kind: 'contention', rows: 'hot' }));
  sloThresholds(thresholds, k, def.slo);
  return biddingPlan(base, def.slo, list, thresholds, { fixture, write: writeTemplate(def), startCents: def.listing.priceCents }, [
    'k6 sends the bids only: the notification lag, the backlog and the drain are read from PostgreSQL by the in-repo runner, so this evidence has the bids\' figures and no notification_* metric.',
  ]);
}

/**
 * module-cost: per module an unmeasured warm-up and its step at the module's rate, one module at
 * a time, drawing the stream the in-repo runner draws. The CPU time the scenario is about is
 * read from /proc by the in-repo runner; k6 cannot see inside the app.
 */
async function moduleCostPlan(def: ModuleCostScenario, opts: PlanOptions, base: Omit<K6Plan, 'steps' | 'thresholds' | 'notes'>): Promise<K6Plan> {
  const p = def.profiles[opts.profile];
  const fixture = needFixture(def, opts);
  const list = new StepList();
  const thresholds: Record<string, string[]> = {};
  for (const g of await modulePlan(def, p)) {
    const stream: K6Stream = { kind: 'module', module: g.module, routes: g.templates.map((t) => t.name) };
    if (p.warmupS > 0) list.add(step(`warmup_${g.module}`, 'warmup', `${g.module} warm-up ${g.rate}/s`, { phase: 'warmup', module: g.module }, g.rate, p.warmupS, p.connections, stream, TASK_TIMEOUT_S));
    const k = list.add(step(`module_${g.module}`, 'module', `module ${g.module}`, { module: g.module, routes: stream.routes.join(' ') }, g.rate, p.stepDurationS, p.connections, stream, TASK_TIMEOUT_S));
    thresholds[`http_req_failed{scenario:${k.name}}`] = [`rate<=${def.maxErrorRate}`];
    thresholds[`http_reqs{scenario:${k.name}}`] = ['count>=0'];
  }
  return {
    ...base,
    seed: DAU_SEED,
    steps: list.steps,
    thresholds,
    app: { fixture, mix: def.routes, templates: {}, startCents: 1000, openingBids: false },
    notes: ['k6 drives each module\'s routes as the in-repo runner does, but cannot read the app process\'s CPU time or memory: this evidence has no module_cpu_* metric (sample the app\'s process yourself during each module_* scenario, or use the in-repo runner).'],
  };
}

/** The plan of a definition: steps as k6 scenarios, per-step thresholds, the data the streams need. */
export async function buildPlan(def: DefinitionFile, opts: PlanOptions): Promise<K6Plan> {
  const s = def.scenario;
  const base = {
    scenario: s.id,
    kind: s.kind,
    definitionHash: def.hash,
    profile: opts.profile,
    baseUrl: opts.baseUrl ?? (s.kind === 'http-mix' ? s.baseUrl : (opts.fixture as { baseUrl?: string } | undefined)?.baseUrl ?? 'http://127.0.0.1:3000'),
    seed: 0,
    slo: null,
  };
  switch (s.kind) {
    case 'http-mix':
      return mixPlan(s, def.file, opts, base);
    case 'dau':
      return dauPlan(s, opts, base);
    case 'write-contention':
      return contentionPlan(s, opts, base);
    case 'compute-latency':
      return computePlan(s, opts, base);
    case 'module-cost':
      return moduleCostPlan(s, opts, base);
    case 'notification-lag':
      return lagPlan(s, opts, base);
  }
}

/** The folder holding load/k6/lib/runtime.ts: the package root, from source or from dist/. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'k6/lib/runtime.ts')) && existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find k6/lib/runtime.ts next to the @archfit/load package');
    dir = parent;
  }
}

/**
 * One self-contained k6 script: the runtime, the seeded streams and the plan (with CSV rows
 * and fixture) bundled by esbuild, so k6 opens no file and resolves no relative import.
 */
export async function generateK6Script(plan: K6Plan, thresholdsNote: readonly Threshold[] = []): Promise<string> {
  const { build } = await import('esbuild');
  const root = packageRoot();
  const exports = plan.steps.map((s) => `export function step_${s.name}() { runStep(PLAN, ${JSON.stringify(s.name)}); }`).join('\n');
  const entry = `import { initDefaults, k6Options, runStep, setupPlan, summaryFiles } from './runtime.ts';
const PLAN = ${JSON.stringify(plan)};
initDefaults();
export const options = k6Options(PLAN);
export function setup() { setupPlan(PLAN); }
${exports}
export function handleSummary(data) { return summaryFiles(PLAN, data); }
`;
  const out = await build({
    stdin: { contents: entry, resolveDir: path.join(root, 'k6/lib'), sourcefile: `${plan.scenario}.k6-entry.ts`, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2017',
    external: ['k6', 'k6/*'],
    write: false,
    legalComments: 'none',
    absWorkingDir: root,
    logLevel: 'silent',
  });
  const header = [
    `// Generated by archfit load from ${plan.scenario} (${plan.kind}), profile ${plan.profile}, definition ${plan.definitionHash}.`,
    '// Do not edit: regenerate from the definition. Run: k6 run -e TARGET=http://127.0.0.1:3000 <this file>',
    `// then: archfit load --import ${plan.scenario}-k6-summary.json --definition <${plan.scenario}.json>`,
    ...thresholdsNote.map((t) => `// evidence threshold ${t.id}: ${t.metric} ${t.comparator} ${t.value} ${t.unit}`),
  ].join('\n');
  return `${header}\n${out.outputFiles[0]!.text}`;
}

/** Reads a fixture file (`{ baseUrl?, tokens, listings, fixedListings? }`). */
export function readFixtureFile(file: string): AppFixture & { baseUrl?: string } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as AppFixture & { baseUrl?: string };
  } catch (err) {
    throw new ScenarioError(`cannot read the fixture ${file}: ${(err as Error).message}`);
  }
}

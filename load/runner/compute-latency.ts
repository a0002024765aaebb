import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import type { ComputeScenario, ProfileName, RequestTemplate } from '../scenarios/schema.js';
import { startApp, type LoopReading, type RunningApp } from './app-process.js';
import { createDatabase } from './database.js';
import { stepFromOpen, type EvidenceStep } from './evidence.js';
import { seedIdentities, type Fixture } from './fixture.js';
import { toSpec } from './http-mix.js';
import { amountAt, appRequest, type AppFixture, type AppTemplate, type StreamRequest } from './http-mix-stream.js';
import { runOpenModel, type OpenModelResult } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';

/**
 * The synthetic option: the embedding kernel at ASSISTANT_COMPUTE_COST (about 50 ms of CPU at
 * 200 here). Used with COMPUTE_TASK=synthetic, or when the OCR engine's trained data is not
 * installed; its rates are the scenario's receipt rates x SYNTHETIC_RATE_FACTOR.
 */
const SYNTHETIC_TASK: RequestTemplate = {
  name: 'embed',
  method: 'POST',
  path: '/api/consumer/assistant/embed',
  auth: 'consumer',
  body: { texts: ['vintage brass desk lamp with a green glass shade, fully working, light patina on the base ({n})'] },
};
const SYNTHETIC_RATE_FACTOR = 8;

function ocrDataInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json', { paths: [new URL('../../reference-app/', import.meta.url).pathname] });
    return true;
  } catch {
    return false;
  }
}

/** Which task this run drives, and why, in words for the evidence notes. */
function chooseTask(def: ComputeScenario): { def: ComputeScenario; note: string } {
  const asked = process.env.COMPUTE_TASK ?? '';
  if (asked !== '' && asked !== 'ocr' && asked !== 'synthetic') throw new Error(`COMPUTE_TASK="${asked}" must be ocr or synthetic`);
  const synthetic = asked === 'synthetic' || !ocrDataInstalled();
  if (!synthetic) return { def, note: `Task: ${def.task.name} (${def.task.method} ${def.task.path}), one real receipt image through tesseract.js OCR and the field rules; rates are receipts/s.` };
  const scale = (rates: number[]) => rates.map((r) => r * SYNTHETIC_RATE_FACTOR);
  const profiles = Object.fromEntries(Object.entries(def.profiles).map(([k, p]) => [k, { ...p, taskRates: scale(p.taskRates) }])) as ComputeScenario['profiles'];
  return {
    def: { ...def, task: SYNTHETIC_TASK, expectedTaskRate: def.expectedTaskRate * SYNTHETIC_RATE_FACTOR, profiles },
    note: `Task: the SYNTHETIC embedding kernel (${asked === 'synthetic' ? 'COMPUTE_TASK=synthetic' : 'the OCR trained data @tesseract.js-data/eng is not installed'}) at ASSISTANT_COMPUTE_COST=${def.appEnv?.ASSISTANT_COMPUTE_COST ?? '1'}, rates x${SYNTHETIC_RATE_FACTOR}; not the real receipt task.`,
  };
}

const run = promisify(execFile);

/** A receipt scan takes seconds of CPU: its requests may take this long before they count as errors. */
const TASK_TIMEOUT_MS = 30_000;

/**
 * Request `g` of a compute-latency run, fast route or task: the seeded stream of
 * http-mix-stream.ts that the generated k6 script draws from too (stream kind `compute`).
 */
export function computeRequest(t: AppTemplate, fx: AppFixture, g: number): StreamRequest {
  return appRequest(t, fx, g, { listing: fx.listings[0] ?? 'none', amount: amountAt(g, 0) });
}

/** One open-model step of a mode: which template it sends, at what rate, from which request of the run. */
export interface ComputeStep {
  which: 'fast' | 'task';
  rate: number;
  durationS: number;
  /** Global index of the step's first request (the seeded stream is indexed by it). */
  offset: number;
}

/**
 * One mode's steps, in the order the k6 script lists them and with the same request indexes: an
 * unmeasured warm-up (the fast route and the task side by side: JIT, the worker pool's first
 * thread and the service connection would otherwise land in the first step's tail), then per
 * task rate the fast route and, above 0, the task side by side. Each step takes the next
 * floor(rate x duration) indexes, so a run of every mode sends each mode the same stream.
 */
export function computeSteps(p: ComputeScenario['profiles'][ProfileName]): { warmup: ComputeStep[]; sweep: Array<{ taskRate: number; fast: ComputeStep; task?: ComputeStep }> } {
  let offset = 0;
  const next = (which: ComputeStep['which'], rate: number, durationS: number): ComputeStep => {
    const s = { which, rate, durationS, offset };
    offset += Math.floor(rate * durationS);
    return s;
  };
  const warmS = Math.min(1.5, p.stepDurationS);
  const warmTask = Math.max(1, Math.min(...p.taskRates.filter((r) => r > 0), 4));
  const warmup = [next('fast', p.fastRate, warmS), next('task', warmTask, warmS)];
  const sweep = p.taskRates.map((taskRate) => {
    const fast = next('fast', p.fastRate, p.stepDurationS);
    return { taskRate, fast, ...(taskRate > 0 ? { task: next('task', taskRate, p.stepDurationS) } : {}) };
  });
  return { warmup, sweep };
}

/** The pid listening on a loopback port (the runner starts processes it does not get pids for). */
async function pidOnPort(url: string): Promise<number> {
  const port = new URL(url).port;
  const { stdout } = await run('ss', ['-ltnpH', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) throw new Error(`no process found listening on port ${port}`);
  return Number(pid);
}

/**
 * COMPUTE_PIN_CPUS=1 on a host with 2+ cores: the app (all its threads) on CPU 0 and the models
 * service (all its threads, OCR workers included) on CPU 1, so service mode models a separate
 * box's core instead of sharing both. The load generator stays unpinned.
 */
async function pinCpus(app: RunningApp, models: RunningApp | undefined): Promise<string | undefined> {
  if (process.env.COMPUTE_PIN_CPUS !== '1') return undefined;
  if (cpus().length < 2) throw new Error('COMPUTE_PIN_CPUS=1 needs at least 2 cores');
  await run('taskset', ['-a', '-p', '-c', '0', String(await pidOnPort(app.url))]);
  if (models) await run('taskset', ['-a', '-p', '-c', '1', String(await pidOnPort(models.url))]);
  return models ? 'app pinned to CPU 0, models service to CPU 1 (taskset -a)' : 'app pinned to CPU 0 (taskset -a)';
}

/** Starts the app (and, in service mode, the models service) in one execution mode. */
async function startForMode(def: ComputeScenario, mode: string, databaseUrl: string): Promise<{ app: RunningApp; models?: RunningApp }> {
  const env: Record<string, string> = { ...def.appEnv, DATABASE_URL: databaseUrl, ASSISTANT_EXECUTION: mode };
  let models: RunningApp | undefined;
  if (mode === 'service') {
    const token = randomBytes(16).toString('hex');
    // The service's own settings travel in the scenario's appEnv; it answers /health only once its OCR workers are warm.
    const modelsEnv = Object.fromEntries(Object.entries(def.appEnv ?? {}).filter(([k]) => k.startsWith('MODELS_OCR_')));
    models = await startApp({ entry: 'reference-app/services/models/main.ts', env: { ...modelsEnv, MS_MODELS_TOKEN: token, MODELS_HOST: '127.0.0.1' }, portEnv: 'MODELS_PORT' });
    Object.assign(env, { MODELS_SERVICE_URL: models.url, MS_MODELS_TOKEN: token });
  }
  try {
    return { app: await startApp({ env }), ...(models ? { models } : {}) };
  } catch (err) {
    await models?.stop();
    throw err;
  }
}

/**
 * For each execution mode, a fast unrelated route at a constant rate while the assistant's
 * compute task arrives at rising rates, both open-model; the app's event loop is read through
 * the preloaded probe over each step.
 */
export async function runComputeLatency(scenario: ComputeScenario, ctx: RunContext): Promise<ScenarioOutcome> {
  const chosen = chooseTask(scenario);
  const def = chosen.def;
  const p = def.profiles[ctx.profile];
  const steps: EvidenceStep[] = [];
  const metrics: Record<string, number> = { fast_route_slo_ms: def.fastRouteSloMs, expected_task_rate: def.expectedTaskRate };
  const units: Record<string, string> = { fast_route_slo_ms: 'ms', expected_task_rate: 'tasks/s' };
  const notes: string[] = [
    `Event-loop delay and utilisation are read inside the app process by a preloaded probe (monitorEventLoopDelay, resolution 10 ms subtracted; eventLoopUtilization) because the app exposes no loop metrics route; cpu_share is the whole process's CPU time over wall time, worker threads included.`,
    `Load generator and app share this machine's ${cpus().length} cores: absolute figures are lower than on separate hosts.`,
    chosen.note,
    `On a ${cpus().length}-core host the models service in service mode shares the CPU with the app and the load generator, so "service" here protects the event loop but not the cores: it under-states what a separate box would give. COMPUTE_PIN_CPUS=1 pins the app to CPU 0 and the service to CPU 1 with taskset to model a separate box more honestly${process.env.COMPUTE_PIN_CPUS === '1' ? ' (this run: pinned)' : ' (this run: not pinned)'}.`,
  ];
  let interrupted = false;
  let targetUrl = '';
  let appEnv: Record<string, string> = {};
  const expectedRate = def.expectedTaskRate;
  const nearest = p.taskRates.reduce((best, r) => (Math.abs(r - expectedRate) < Math.abs(best - expectedRate) ? r : best), p.taskRates[0]!);
  if (nearest !== expectedRate) notes.push(`expected task rate ${expectedRate}/s is not swept by the ${ctx.profile} profile; metrics "at expected" use the nearest swept rate, ${nearest}/s`);

  for (const mode of p.modes ?? def.modes) {
    if (ctx.signal.aborted) break;
    const db = await createDatabase(ctx.adminUrl, `compute_${mode}`);
    let running: { app: RunningApp; models?: RunningApp } | undefined;
    try {
      running = await startForMode(def, mode, db.url);
      const { app } = running;
      const pinned = await pinCpus(app, running.models);
      if (pinned) notes.push(`${mode}: ${pinned}`);
      targetUrl = app.url;
      appEnv = Object.fromEntries(Object.entries(app.env).filter(([k]) => k !== 'DATABASE_URL' && k !== 'MS_MODELS_TOKEN'));
      const fx: Fixture = { tokens: await seedIdentities(app.url, def.seed.consumers), listings: ['none'] };
      ctx.log(`compute-latency: mode ${mode} at ${app.url}`);
      // Open-model steps drawing the shared seeded stream: request n of a step is request
      // offset + n of the mode's run, what the generated k6 script sends for the same step.
      const drive = (s: ComputeStep, onTick?: Parameters<typeof runOpenModel>[0]['onTick']) =>
        runOpenModel({
          target: app.url,
          rate: s.rate,
          durationS: s.durationS,
          connections: p.connections,
          signal: ctx.signal,
          ...(s.which === 'task' ? { timeoutMs: TASK_TIMEOUT_MS } : {}),
          next: (n) => toSpec(computeRequest(s.which === 'fast' ? def.fast : def.task, fx, s.offset + n)),
          ...(onTick ? { onTick } : {}),
        });
      const planned = computeSteps(p);
      await Promise.all(planned.warmup.map((s) => drive(s)));
      for (const { taskRate, fast, task } of planned.sweep) {
        if (ctx.signal.aborted) break;
        const bar = ctx.progress(`${mode} task ${taskRate}/s`);
        await app.readLoop(); // start a fresh probe window
        const [fastResult, taskResult]: [OpenModelResult, OpenModelResult | undefined] = await Promise.all([
          drive(fast, (t) => bar.update(t.completed, t.planned, t.errors)),
          task ? drive(task) : Promise.resolve(undefined),
        ]);
        const loop: LoopReading = await app.readLoop();
        bar.stop();
        interrupted ||= fastResult.interrupted;
        const extra: Record<string, number> = {
          task_rate: taskRate,
          task_p50_ms: taskResult?.latency.p50 ?? 0,
          task_p99_ms: taskResult?.latency.p99 ?? 0,
          task_errors: taskResult?.errors.total ?? 0,
          task_achieved_per_s: taskResult?.achievedRate ?? 0,
          loop_delay_p50_ms: loop.delayP50Ms,
          loop_delay_p99_ms: loop.delayP99Ms,
          loop_delay_max_ms: loop.delayMaxMs,
          loop_utilization: loop.utilization,
          cpu_share: loop.cpuShare,
        };
        steps.push(stepFromOpen(`${mode} task ${taskRate}/s`, { mode, taskRate: String(taskRate) }, fastResult, extra, fastResult.latency.p99 <= def.fastRouteSloMs && fastResult.errors.rate === 0));
        if (taskRate === nearest) {
          metrics[`fast_route_p99_ms_${mode}`] = fastResult.latency.p99;
          metrics[`task_p99_ms_${mode}`] = extra.task_p99_ms!;
          metrics[`loop_delay_p99_ms_${mode}`] = loop.delayP99Ms;
          metrics[`loop_utilization_${mode}`] = loop.utilization;
          metrics[`task_errors_${mode}`] = extra.task_errors!;
          Object.assign(units, { [`fast_route_p99_ms_${mode}`]: 'ms', [`task_p99_ms_${mode}`]: 'ms', [`loop_delay_p99_ms_${mode}`]: 'ms', [`loop_utilization_${mode}`]: 'ratio', [`task_errors_${mode}`]: 'requests' });
          if (mode === def.currentMode) {
            metrics.colocated_fast_route_p99_ms = fastResult.latency.p99;
            units.colocated_fast_route_p99_ms = 'ms';
          }
        }
      }
    } finally {
      await running?.app.stop();
      await running?.models?.stop();
      await db.drop().catch(() => {});
    }
  }
  if (metrics.colocated_fast_route_p99_ms === undefined) notes.push(`the current mode ${def.currentMode} was not measured, so colocated_fast_route_p99_ms is missing`);
  return { targetUrl, appEnv, steps, database: {}, metrics, units, notes, interrupted: interrupted || ctx.signal.aborted };
}

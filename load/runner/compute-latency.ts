import { randomBytes } from 'node:crypto';
import type { ComputeScenario } from '../scenarios/schema.js';
import { startApp, type LoopReading, type RunningApp } from './app-process.js';
import { createDatabase } from './database.js';
import { stepFromOpen, type EvidenceStep } from './evidence.js';
import { expand, seedIdentities, tokenFor, type Fixture } from './fixture.js';
import { runOpenModel, type OpenModelResult } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';

/** Starts the app (and, in service mode, the models service) in one execution mode. */
async function startForMode(def: ComputeScenario, mode: string, databaseUrl: string): Promise<{ app: RunningApp; models?: RunningApp }> {
  const env: Record<string, string> = { ...def.appEnv, DATABASE_URL: databaseUrl, ASSISTANT_EXECUTION: mode };
  let models: RunningApp | undefined;
  if (mode === 'service') {
    const token = randomBytes(16).toString('hex');
    models = await startApp({ entry: 'reference-app/services/models/main.ts', env: { MS_MODELS_TOKEN: token, MODELS_HOST: '127.0.0.1' }, portEnv: 'MODELS_PORT' });
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
export async function runComputeLatency(def: ComputeScenario, ctx: RunContext): Promise<ScenarioOutcome> {
  const p = def.profiles[ctx.profile];
  const steps: EvidenceStep[] = [];
  const metrics: Record<string, number> = { fast_route_slo_ms: def.fastRouteSloMs, expected_task_rate: def.expectedTaskRate };
  const units: Record<string, string> = { fast_route_slo_ms: 'ms', expected_task_rate: 'tasks/s' };
  const notes: string[] = [
    `Event-loop delay and utilisation are read inside the app process by a preloaded probe (monitorEventLoopDelay, resolution 10 ms subtracted; eventLoopUtilization) because the app exposes no loop metrics route; cpu_share is the whole process's CPU time over wall time, worker threads included.`,
    `Load generator and app share this machine's ${(await import('node:os')).cpus().length} cores: absolute figures are lower than on separate hosts.`,
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
      targetUrl = app.url;
      appEnv = Object.fromEntries(Object.entries(app.env).filter(([k]) => k !== 'DATABASE_URL' && k !== 'MS_MODELS_TOKEN'));
      const fx: Fixture = { tokens: await seedIdentities(app.url, def.seed.consumers), listings: ['none'] };
      ctx.log(`compute-latency: mode ${mode} at ${app.url}`);
      // Unmeasured warm-up: JIT, the worker pool's first thread and the service connection
      // would otherwise land in the first step's tail.
      const warmS = Math.min(1.5, p.stepDurationS);
      const warmTask = Math.max(1, Math.min(...p.taskRates.filter((r) => r > 0), 4));
      await Promise.all([
        runOpenModel({ target: app.url, rate: p.fastRate, durationS: warmS, connections: p.connections, signal: ctx.signal, next: (n) => expand(def.fast, { n, listing: 'none', token: tokenFor(def.fast, fx, n) }) }),
        runOpenModel({ target: app.url, rate: warmTask, durationS: warmS, connections: p.connections, signal: ctx.signal, timeoutMs: 30_000, next: (n) => expand(def.task, { n, listing: 'none', token: tokenFor(def.task, fx, n) }) }),
      ]);
      for (const taskRate of p.taskRates) {
        if (ctx.signal.aborted) break;
        const bar = ctx.progress(`${mode} task ${taskRate}/s`);
        await app.readLoop(); // start a fresh probe window
        const fast = runOpenModel({
          target: app.url,
          rate: p.fastRate,
          durationS: p.stepDurationS,
          connections: p.connections,
          signal: ctx.signal,
          next: (n) => expand(def.fast, { n, listing: 'none', token: tokenFor(def.fast, fx, n) }),
          onTick: (t) => bar.update(t.completed, t.planned, t.errors),
        });
        const task: Promise<OpenModelResult | undefined> =
          taskRate > 0
            ? runOpenModel({
                target: app.url,
                rate: taskRate,
                durationS: p.stepDurationS,
                connections: p.connections,
                signal: ctx.signal,
                timeoutMs: 30_000,
                next: (n) => expand(def.task, { n, listing: 'none', token: tokenFor(def.task, fx, n) }),
              })
            : Promise.resolve(undefined);
        const [fastResult, taskResult] = await Promise.all([fast, task]);
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

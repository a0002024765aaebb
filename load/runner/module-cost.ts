import { performance } from 'node:perf_hooks';
import type { ModuleCostScenario, RequestTemplate } from '../scenarios/schema.js';
import { startApp, type RunningApp } from './app-process.js';
import { seedMarketplace } from './dau.js';
import { createDatabase } from './database.js';
import { stepFromOpen, type EvidenceStep } from './evidence.js';
import { toSpec } from './http-mix.js';
import { DAU_SEED, dauRequest } from './http-mix-stream.js';
import { readProc, type ProcReader } from './module-cost-proc.js';
import { modulePlan } from './module-cost-routes.js';
import { runOpenModel } from './open-model.js';
import type { RunContext, ScenarioOutcome } from './scenario-context.js';

/** Every module step waits up to the compute tasks' 30 s: a step's CPU is what its answered requests cost. */
export const MODULE_STEP_TIMEOUT_MS = 30_000;

/** What one module's step measured, before any arithmetic. */
export interface ModuleSample {
  module: string;
  /** Process CPU time (all threads) over the step, ms, idle not yet subtracted. */
  cpuMs: number;
  /** Wall time between the two /proc readings, ms. */
  wallMs: number;
  /** Requests answered with an expected status. */
  answered: number;
  errorRate: number;
  rssStartBytes: number;
  rssEndBytes: number;
}

export interface ModuleFigure {
  module: string;
  /** (step CPU - idle CPU over the step's wall time) / answered requests; null when the step is not counted. */
  cpuMsPerRequest: number | null;
  /** cpuMsPerRequest over the median of the counted modules. */
  ratioToMedian: number | null;
  rssDeltaBytes: number;
  /** Why the step is left out of the ratio. */
  excluded?: string;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * CPU-ms per request of each module, and its ratio to the median across the modules measured.
 * The idle window's CPU rate (timers, the outbox relay, GC with no traffic) is charged to no
 * module: it is subtracted from each step for the step's own wall time.
 */
export function moduleCostFigures(samples: readonly ModuleSample[], idleCpuMsPerS: number, maxErrorRate: number): { modules: ModuleFigure[]; medianMs: number | null; max: ModuleFigure | null } {
  const modules: ModuleFigure[] = samples.map((s) => {
    const rssDeltaBytes = s.rssEndBytes - s.rssStartBytes;
    if (s.answered === 0) return { module: s.module, cpuMsPerRequest: null, ratioToMedian: null, rssDeltaBytes, excluded: 'no request was answered' };
    const perRequest = Math.max(0, s.cpuMs - (idleCpuMsPerS * s.wallMs) / 1000) / s.answered;
    if (s.errorRate > maxErrorRate) return { module: s.module, cpuMsPerRequest: r3(perRequest), ratioToMedian: null, rssDeltaBytes, excluded: `error rate ${s.errorRate} above ${maxErrorRate}: failed requests cost less than answered ones` };
    return { module: s.module, cpuMsPerRequest: r3(perRequest), ratioToMedian: null, rssDeltaBytes };
  });
  const counted = modules.filter((m) => !m.excluded);
  if (counted.length < 2) return { modules, medianMs: null, max: null };
  const med = median(counted.map((m) => m.cpuMsPerRequest!));
  for (const m of counted) m.ratioToMedian = med > 0 ? Math.round((m.cpuMsPerRequest! / med) * 100) / 100 : null;
  const ranked = counted.filter((m) => m.ratioToMedian !== null).sort((a, b) => b.ratioToMedian! - a.ratioToMedian! || a.module.localeCompare(b.module));
  return { modules, medianMs: r3(med), max: ranked[0] ?? null };
}

/** Evidence metrics from the figures: per module, the median, the largest ratio and the module it belongs to (in the notes). */
export function moduleCostMetrics(fig: ReturnType<typeof moduleCostFigures>, idleCpuMsPerS: number, peakRssBytes: number | undefined): { metrics: Record<string, number>; units: Record<string, string>; notes: string[] } {
  const metrics: Record<string, number> = { idle_cpu_ms_per_s: r3(idleCpuMsPerS), modules_measured: fig.modules.filter((m) => !m.excluded).length };
  const units: Record<string, string> = { idle_cpu_ms_per_s: 'ms/s', modules_measured: 'modules' };
  const notes: string[] = [];
  const set = (name: string, value: number | null | undefined, unit: string) => {
    if (value === null || value === undefined) return;
    metrics[name] = value;
    units[name] = unit;
  };
  for (const m of fig.modules) {
    const key = m.module.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
    set(`cpu_ms_per_request_${key}`, m.cpuMsPerRequest, 'ms/request');
    set(`cpu_ratio_to_median_${key}`, m.ratioToMedian, 'ratio');
    set(`rss_delta_bytes_${key}`, m.rssDeltaBytes, 'bytes');
    if (m.excluded) notes.push(`${m.module}: left out of the ratio (${m.excluded}).`);
  }
  set('app_peak_rss_bytes', peakRssBytes, 'bytes');
  set('module_cpu_per_request_median_ms', fig.medianMs, 'ms/request');
  if (fig.max) {
    set('module_cpu_per_request_max_ratio', fig.max.ratioToMedian, 'ratio');
    notes.push(`Most divergent module: ${fig.max.module}, ${fig.max.cpuMsPerRequest} CPU-ms per request = ${fig.max.ratioToMedian}x the median of ${fig.medianMs} ms across ${metrics.modules_measured} modules (${fig.modules.filter((m) => !m.excluded).map((m) => `${m.module} ${m.cpuMsPerRequest} ms`).join(', ')}).`);
  } else {
    notes.push('Fewer than two modules were measured with a non-zero median, so module_cpu_per_request_max_ratio is missing (a trigger reading it is invalid, never armed).');
  }
  return { metrics, units, notes };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * One app process on a fresh database, seeded like dau. An idle window first, then per module its
 * routes alone at a modest rate, the app's CPU time and RSS read from /proc before and after.
 */
export async function runModuleCost(def: ModuleCostScenario, ctx: RunContext, proc: ProcReader = readProc): Promise<ScenarioOutcome> {
  const p = def.profiles[ctx.profile];
  const plan = await modulePlan(def, p);
  const steps: EvidenceStep[] = [];
  const samples: ModuleSample[] = [];
  const db = await createDatabase(ctx.adminUrl, 'module_cost');
  let app: RunningApp | undefined;
  let interrupted = false;
  try {
    app = await startApp({ env: { ...def.appEnv, DATABASE_URL: db.url } });
    const fx = await seedMarketplace(app.url, def.seed);
    const pid = app.pid;
    const idle0 = await proc(pid);
    const idleT0 = performance.now();
    await sleep(p.idleS * 1000, ctx.signal);
    const idle1 = await proc(pid);
    const idleCpuMsPerS = ((idle1.cpuMs - idle0.cpuMs) * 1000) / Math.max(1, performance.now() - idleT0);
    let offset = 0;
    const drive = async (templates: RequestTemplate[], rate: number, durationS: number, label: string) => {
      const bar = ctx.progress(label);
      const base = offset;
      const r = await runOpenModel({ target: app!.url, rate, durationS, connections: p.connections, timeoutMs: MODULE_STEP_TIMEOUT_MS, signal: ctx.signal, next: (n) => toSpec(dauRequest(templates, fx, base + n, DAU_SEED)), onTick: (t) => bar.update(t.completed, t.planned, t.errors) });
      offset += r.planned;
      bar.stop();
      return r;
    };
    for (const { module, templates, rate } of plan) {
      if (ctx.signal.aborted) break;
      if (p.warmupS > 0) await drive(templates, rate, p.warmupS, `${module} warm-up ${rate}/s`);
      const before = await proc(pid);
      const t0 = performance.now();
      const r = await drive(templates, rate, p.stepDurationS, `${module} ${rate}/s`);
      const after = await proc(pid);
      const sample: ModuleSample = { module, cpuMs: after.cpuMs - before.cpuMs, wallMs: performance.now() - t0, answered: r.achieved, errorRate: r.errors.rate, rssStartBytes: before.rssBytes, rssEndBytes: after.rssBytes };
      samples.push(sample);
      interrupted ||= r.interrupted;
      const counted = sample.answered > 0 && sample.errorRate <= def.maxErrorRate;
      steps.push(
        stepFromOpen(`module ${module}`, { module, routes: templates.map((t) => t.name).join(' ') }, r, {
          cpu_ms: r3(sample.cpuMs),
          idle_cpu_ms: r3((idleCpuMsPerS * sample.wallMs) / 1000),
          wall_ms: Math.round(sample.wallMs),
          answered: sample.answered,
          rss_start_bytes: sample.rssStartBytes,
          rss_end_bytes: sample.rssEndBytes,
        }, counted),
      );
    }
    const fig = moduleCostFigures(samples, idleCpuMsPerS, def.maxErrorRate);
    for (const s of steps) {
      const m = fig.modules.find((f) => f.module === s.labels.module);
      if (m?.cpuMsPerRequest != null) s.extra.cpu_ms_per_request = m.cpuMsPerRequest;
      if (m?.ratioToMedian != null) s.extra.cpu_ratio_to_median = m.ratioToMedian;
    }
    const peak = await proc(pid).then((r) => r.peakRssBytes, () => undefined);
    const { metrics, units, notes } = moduleCostMetrics(fig, idleCpuMsPerS, peak);
    notes.unshift(
      `Per module: its routes from the scenario (${plan.map((g) => `${g.module}: ${g.templates.map((t) => t.name).join(', ')} at ${g.rate}/s`).join('; ')}), ${p.stepDurationS} s each after ${p.warmupS} s unmeasured, one module at a time. A route is charged to the module owning its route file (reference-app/src/modules/<module>/api/routes/).`,
      `CPU is the app process's utime + stime from /proc/<pid>/stat (every thread, so the assistant's worker pool counts; ${p.idleS} s idle first: ${r3(idleCpuMsPerS)} CPU-ms/s of background work subtracted from each step). PostgreSQL's CPU is not in it: a module whose cost is in its SQL shows here only through the driver. The load generator is another process and is never counted.`,
      'Memory: RSS is one heap shared by every module and freed by a garbage collector, so it cannot be charged per request; each step reports the change in RSS over it (a module that leaks grows it) and the run the app\'s peak (VmHWM). The trigger reads CPU only.',
      `Load generator and app share this machine's cores; CPU time per request moves less with neighbours than latency does, but caches and frequency scaling still move it.`,
    );
    const appEnv = Object.fromEntries(Object.entries(app.env).filter(([k]) => k !== 'DATABASE_URL'));
    return { targetUrl: app.url, appEnv, steps, database: {}, metrics, units, notes, interrupted: interrupted || ctx.signal.aborted };
  } finally {
    await app?.stop();
    await db.drop().catch(() => {});
  }
}

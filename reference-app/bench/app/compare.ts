/**
 * The measuring half of `npm run bench:app`: the reference app and one or more baselines (bare
 * servers), the same request streams, the load package's open-model runner, taking turns step by
 * step so all see the same machine. Each baseline gets its own app/baseline ratios, all measured
 * in the same run; the first baseline is the primary comparison (the one the goal is read on).
 * Nothing here starts a server; app.ts does, and the smoke test hands in servers it runs itself.
 */
import type { LoopReading } from '../../../load/runner/app-process.js';
import { capacitySearch, bounds, type Slo, type StepFigures } from '../../../load/runner/http-mix-search.js';
import { runOpenModel, type OpenModelResult, type RequestSpec } from '../../../load/runner/open-model.js';
import { createLatencyHistogram, summarize, type LatencySummary } from '../../../load/runner/histogram.js';
import { stepVerdict } from '../../../load/runner/slo.js';

/** 'app', or a baseline's name ('bare', 'bare-inline'). */
export type TargetName = string;

export interface Target {
  name: TargetName;
  /** One line saying what a baseline does, printed under the table. */
  description?: string;
  url: string;
  /** The server's own CPU over a window (the loop probe of a child process); absent in-process. */
  readLoop?: () => Promise<LoopReading>;
  /** Called after each of this target's steps, before the other target's: e.g. wait until the app's relay has drained. */
  settle?: () => Promise<void>;
}

export interface Workload {
  name: string;
  /** Request n of the stream; n counts across every step of the run, both targets included. */
  next(n: number): RequestSpec;
}

export interface SearchPlan {
  startRate: number;
  stepFactor: number;
  maxRate: number;
  maxSteps: number;
  refineSteps: number;
}

export interface ComparePlan {
  search: SearchPlan;
  slo: Slo;
  /** The common rate both targets are measured at for p99. */
  fixedRate: number;
  /** How many rounds at the fixed rate, each target once per round (the order alternates: app b1 b2, b2 b1 app, ...). */
  fixedPairs: number;
  stepDurationS: number;
  warmupS: number;
  connections: number;
  /** Pause between two steps, so one step's stragglers and GC do not land in the next. */
  pauseMs: number;
  /**
   * A search step whose generator fell behind is no verdict; it is run again this many times
   * before it ends the search as "at least" (on a shared machine one late step is common).
   */
  retryBehind: number;
}

/** One measured step, with the server's CPU cost per request when it could be read. */
export interface StepReport {
  target: TargetName;
  phase: 'fixed' | 'search' | 'refine';
  offeredRate: number;
  achievedRate: number;
  p50: number;
  p99: number;
  errorRate: number;
  errorsByKind: Record<string, number>;
  verdict: 'pass' | 'fail' | 'inconclusive';
  generatorBehind: boolean;
  /** Server process CPU (all threads) per request answered, ms; null when not measured. */
  serverCpuMsPerRequest: number | null;
}

export interface SideFigures {
  /** Highest offered rate that met the SLO (the dau rule); 0 when none did. */
  sustainableRate: number;
  firstFailingRate: number | null;
  /** True when no step failed up to the plan's limit: the capacity is at least the figure. */
  atLeast: boolean;
  /** What ended the search: a step over the SLO, the generator falling behind (no verdict: "at least"), or the plan's limit. */
  stoppedBy: 'slo' | 'generator' | 'limit';
  /** p50/p99 over every fixed-rate step of this target (histograms merged). */
  fixed: LatencySummary & { errorRate: number; serverCpuMsPerRequest: number | null };
}

/**
 * app/baseline: sustainable rate (goal >= 0.9) and p99 at the fixed rate (lower is better: the
 * goal is <= 1/0.9). `sustainableRateMeasured` is false unless both searches ended on a step over
 * the SLO: a search stopped by the generator or the plan's limit gives a lower bound, not a capacity.
 */
export interface Ratios {
  sustainableRate: number | null;
  sustainableRateMeasured: boolean;
  p99AtFixedRate: number | null;
}

export interface BaselineReport {
  name: TargetName;
  description?: string;
  figures: SideFigures;
  /** app / this baseline. */
  ratios: Ratios;
}

export interface WorkloadReport {
  workload: string;
  fixedRate: number;
  app: SideFigures;
  /** In the order given; the first is the primary comparison. */
  baselines: BaselineReport[];
  steps: StepReport[];
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Runs one async function at a time, in call order: the two searches take turns on the machine. */
function turns(): <T>(fn: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  };
}

export async function compareWorkload(
  targets: { app: Target; baselines: Target[] },
  workload: Workload,
  plan: ComparePlan,
  opts: { signal: AbortSignal; log: (line: string) => void; offset: { n: number } },
): Promise<WorkloadReport> {
  const all = [targets.app, ...targets.baselines];
  if (new Set(all.map((t) => t.name)).size !== all.length || targets.baselines.length === 0) {
    throw new Error(`compareWorkload: the app and at least one baseline, each with a name of its own (got ${all.map((t) => t.name).join(', ')})`);
  }
  const width = Math.max(...all.map((t) => t.name.length));
  const steps: StepReport[] = [];
  const fixedRuns = new Map<TargetName, OpenModelResult[]>(all.map((t) => [t.name, []]));
  const fixedCpu = new Map<TargetName, number[]>(all.map((t) => [t.name, []]));

  const run = async (target: Target, rate: number, durationS: number): Promise<{ r: OpenModelResult; cpuMs: number | null }> => {
    const base = opts.offset.n;
    await target.readLoop?.();
    const r = await runOpenModel({
      target: target.url,
      rate,
      durationS,
      connections: plan.connections,
      signal: opts.signal,
      next: (i) => workload.next(base + i),
    });
    opts.offset.n += r.planned;
    // Settled first, so the work a step leaves behind (the app's relay delivering its events)
    // is charged to it: cpuShare x window is the server's CPU time over the step and after.
    await target.settle?.();
    const loop = await target.readLoop?.().catch(() => undefined);
    const cpuMs = loop && r.achieved > 0 ? round((loop.cpuShare * loop.windowMs) / r.achieved, 4) : null;
    if (plan.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.pauseMs));
    return { r, cpuMs };
  };

  const report = (target: Target, phase: StepReport['phase'], r: OpenModelResult, cpuMs: number | null): StepReport => {
    const s: StepReport = {
      target: target.name,
      phase,
      offeredRate: r.offeredRate,
      achievedRate: r.achievedRate,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errorRate: r.errors.rate,
      errorsByKind: r.errors.byKind,
      verdict: stepVerdict(r, plan.slo),
      generatorBehind: r.generator.behind,
      serverCpuMsPerRequest: cpuMs,
    };
    steps.push(s);
    opts.log(
      `  ${workload.name} ${phase} ${target.name.padEnd(width)} ${String(r.offeredRate).padStart(5)}/s: achieved ${r.achievedRate}/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${round(r.errors.rate * 100, 2)} %${cpuMs !== null ? `, server CPU ${cpuMs} ms/req` : ''}${r.generator.behind ? ` (generator behind: ${r.generator.reason})` : ''} -> ${s.verdict}`,
    );
    return s;
  };

  // Warm-up, unmeasured, at the fixed rate: JIT, connections, caches, for every target.
  if (plan.warmupS > 0) {
    for (const t of all) await run(t, plan.fixedRate, plan.warmupS);
  }

  // p99 at one common rate: app b1 b2, b2 b1 app, ... so no target always goes first or last.
  for (let i = 0; i < plan.fixedPairs && !opts.signal.aborted; i++) {
    const order = i % 2 === 0 ? all : [...all].reverse();
    for (const t of order) {
      const { r, cpuMs } = await run(t, plan.fixedRate, plan.stepDurationS);
      report(t, 'fixed', r, cpuMs);
      fixedRuns.get(t.name)!.push(r);
      if (cpuMs !== null) fixedCpu.get(t.name)!.push(cpuMs);
    }
  }

  // Capacity search with the dau rule, every target's search at once but taking turns step by step.
  const exclusive = turns();
  const search = (t: Target) =>
    capacitySearch(
      plan.search,
      plan.slo,
      (rate, phase) =>
        exclusive(async (): Promise<StepFigures> => {
          let { r, cpuMs } = await run(t, rate, plan.stepDurationS);
          for (let retry = 0; retry < plan.retryBehind && r.generator.behind && !opts.signal.aborted; retry++) {
            report(t, phase, r, cpuMs);
            opts.log(`  (the generator fell behind: ${t.name} runs ${rate}/s again)`);
            ({ r, cpuMs } = await run(t, rate, plan.stepDurationS));
          }
          const s = report(t, phase, r, cpuMs);
          // A step whose generator fell behind is no verdict on the server: it ends the search
          // without a pass, as in the dau scenario (the capacity is then "at least").
          return { phase, name: `${phase}_${rate}`, offeredRate: rate, p50: s.p50, p99: s.p99, errorRate: s.errorRate, interrupted: r.interrupted || r.generator.behind };
        }),
      () => opts.signal.aborted,
    );
  const searched = await Promise.all(all.map((t) => search(t)));

  const side = (name: TargetName, figures: StepFigures[]): SideFigures => {
    const { lastPass, firstFail } = bounds(figures, plan.slo);
    const failing = steps.find((s) => s.target === name && s.phase !== 'fixed' && s.offeredRate === firstFail);
    const merged = createLatencyHistogram();
    let errors = 0;
    let scheduled = 0;
    for (const r of fixedRuns.get(name)!) {
      merged.add(r.histogram);
      errors += r.errors.total;
      scheduled += r.planned;
    }
    const cpu = fixedCpu.get(name)!;
    return {
      sustainableRate: lastPass?.offeredRate ?? 0,
      firstFailingRate: firstFail ?? null,
      atLeast: firstFail === undefined || failing?.verdict === 'inconclusive',
      stoppedBy: firstFail === undefined ? 'limit' : failing?.verdict === 'inconclusive' ? 'generator' : 'slo',
      fixed: {
        ...summarize(merged),
        errorRate: scheduled ? round(errors / scheduled, 5) : 0,
        serverCpuMsPerRequest: cpu.length ? round(cpu.reduce((a, b) => a + b, 0) / cpu.length, 4) : null,
      },
    };
  };
  const app = side(targets.app.name, searched[0]!);
  const baselines = targets.baselines.map((t, i): BaselineReport => {
    const bare = side(t.name, searched[i + 1]!);
    return {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      figures: bare,
      ratios: {
        sustainableRate: bare.sustainableRate > 0 ? round(app.sustainableRate / bare.sustainableRate) : null,
        sustainableRateMeasured: app.stoppedBy === 'slo' && bare.stoppedBy === 'slo',
        p99AtFixedRate: bare.fixed.p99 > 0 && app.fixed.count > 0 ? round(app.fixed.p99 / bare.fixed.p99) : null,
      },
    };
  });
  return { workload: workload.name, fixedRate: plan.fixedRate, app, baselines, steps };
}

/** The side-by-side table of one workload, as printed: the app, each baseline, then app/baseline for each (the goal on the primary). */
export function describeWorkload(w: WorkloadReport): string[] {
  const rate = (s: SideFigures) =>
    `${s.sustainableRate}/s${s.stoppedBy === 'limit' ? ' (at least: no step failed)' : s.stoppedBy === 'generator' ? ` (at least: the generator fell behind at ${s.firstFailingRate}/s)` : ` (failed at ${s.firstFailingRate}/s)`}`;
  const cpu = (s: SideFigures) => (s.fixed.serverCpuMsPerRequest === null ? 'n/a' : `${s.fixed.serverCpuMsPerRequest} ms`);
  const ratio = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}x`);
  const of = (a: number | null, b: number | null) => ratio(a && b ? round(a / b) : null);
  const primary = (b: BaselineReport, goal: string) => (b === w.baselines[0] ? ` (${goal})` : '');
  const sides = [w.app, ...w.baselines.map((b) => b.figures)];
  const row = (figure: string, cell: (s: SideFigures) => string, ratios: (b: BaselineReport) => string) =>
    `  | ${figure} | ${sides.map(cell).join(' | ')} | ${w.baselines.map(ratios).join(' | ')} |`;
  return [
    `${w.workload}:`,
    `  | figure | app | ${w.baselines.map((b) => b.name).join(' | ')} | ${w.baselines.map((b) => `app/${b.name}`).join(' | ')} |`,
    `  | --- | --- | ${w.baselines.map(() => '--- | ---').join(' | ')} |`,
    row('sustainable rate (p99 <= SLO, errors <= SLO)', rate, (b) =>
      `${ratio(b.ratios.sustainableRate)}${primary(b, 'goal >= 0.90x')}${b.ratios.sustainableRateMeasured ? '' : ' (not a measured ratio: a search ended without a step over the SLO)'}`),
    row(`p50 at ${w.fixedRate}/s`, (s) => `${s.fixed.p50} ms`, (b) => of(w.app.fixed.p50, b.figures.fixed.p50)),
    row(`p99 at ${w.fixedRate}/s`, (s) => `${s.fixed.p99} ms`, (b) => `${ratio(b.ratios.p99AtFixedRate)}${primary(b, `goal <= ${(1 / 0.9).toFixed(2)}x`)}`),
    row(`server CPU per request at ${w.fixedRate}/s`, cpu, (b) => of(w.app.fixed.serverCpuMsPerRequest, b.figures.fixed.serverCpuMsPerRequest)),
    ...w.baselines.filter((b) => b.description).map((b) => `  ${b.name}${b === w.baselines[0] ? ' (primary)' : ''}: ${b.description}`),
  ];
}

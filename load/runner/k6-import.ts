import { readFile, stat } from 'node:fs/promises';
import { ScenarioError } from '../scenarios/load-scenario.js';
import type { ProfileName } from '../scenarios/schema.js';
import { dauCapacity, requiredRate } from './dau-model.js';
import { buildEvidence, gitCommit, type Evidence, type EvidenceStep } from './evidence.js';
import type { DefinitionFile } from './http-mix-definition.js';
import { bounds, meetsSlo, mixMetrics, type StepFigures } from './http-mix-search.js';
import { buildPlan } from './k6-generate.js';

type Values = Record<string, number>;

/** What the generated script's handleSummary adds next to k6's own data. */
interface ArchfitMeta {
  scenario: string;
  kind: string;
  definitionHash: string;
  profile: ProfileName;
  finishedAt?: string;
  k6Version?: string;
  target?: string;
  steps?: Array<{ name: string; phase: string; label: string; labels: Record<string, string>; rate: number | null; durationS: number }>;
}

/**
 * k6 writes two summary shapes: `--summary-export` (stats at the top level of each metric, a
 * Rate's value as `value`) and handleSummary's data (stats under `values`, a Rate as `rate`).
 */
export function summaryMetrics(summary: unknown): Map<string, Values> {
  const metrics = (summary as { metrics?: Record<string, unknown> } | null)?.metrics;
  if (!metrics || typeof metrics !== 'object') throw new ScenarioError('not a k6 summary: no "metrics" object (write one with k6 run --summary-export <file>, or the generated script\'s handleSummary)');
  const out = new Map<string, Values>();
  for (const [name, raw] of Object.entries(metrics)) {
    const source = ((raw as { values?: unknown }).values ?? raw) as Record<string, unknown>;
    const values: Values = {};
    for (const [k, v] of Object.entries(source)) if (typeof v === 'number') values[k] = v;
    if ('value' in values && !('rate' in values) && typeof (raw as { type?: unknown }).type !== 'string') values.rate = values.value!;
    out.set(name, values);
  }
  return out;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

interface ImportOptions {
  summaryFile: string;
  definition: DefinitionFile;
  /** When the summary does not say (a plain --summary-export). */
  profile?: ProfileName;
  strategy?: string;
  mode?: string;
  root: string;
}

/** Turns a k6 summary of a generated script into evidence (`runner: k6`), with the in-repo runner's SLO rule and metric names. */
export async function importK6Summary(opts: ImportOptions): Promise<Evidence> {
  let summary: { archfit?: ArchfitMeta; state?: { testRunDurationMs?: number } };
  try {
    summary = JSON.parse(await readFile(opts.summaryFile, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`cannot read the k6 summary ${opts.summaryFile}: ${(err as Error).message}`);
  }
  const metrics = summaryMetrics(summary);
  const def = opts.definition.scenario;
  const meta = summary.archfit;
  if (meta && meta.scenario !== def.id) throw new ScenarioError(`${opts.summaryFile} is a run of ${meta.scenario}, not ${def.id}`);
  if (meta && meta.definitionHash !== opts.definition.hash) throw new ScenarioError(`${opts.summaryFile} ran definition ${meta.definitionHash}, but ${opts.definition.file} is now ${opts.definition.hash}: import it with the definition it ran`);
  const profile = meta?.profile ?? opts.profile ?? 'full';
  const placeholder = { tokens: { consumer: [], seller: [], admin: [] }, listings: [] };
  const plan = await buildPlan(opts.definition, { profile, fixture: placeholder, ...(opts.strategy ? { strategy: opts.strategy } : {}), ...(opts.mode ? { mode: opts.mode } : {}) });
  const stepsRun = meta?.steps ?? plan.steps;
  const notes: string[] = [`Imported from a k6 summary (${meta ? 'the generated script\'s handleSummary' : '--summary-export'}); k6 measured, archfit applied the definition\'s SLO rule and thresholds.`, ...plan.notes];

  const steps: EvidenceStep[] = [];
  const figures: StepFigures[] = [];
  const byName = new Map<string, { figures: StepFigures; step: EvidenceStep }>();
  for (const s of stepsRun) {
    if (s.phase === 'warmup') continue;
    const tag = `{scenario:${s.name}}`;
    const reqs = metrics.get(`http_reqs${tag}`);
    const dur = metrics.get(`http_req_duration${tag}`);
    if (!reqs || !dur || dur.med === undefined || dur['p(99)'] === undefined) {
      notes.push(`step ${s.label}: the summary has no http_reqs${tag} or http_req_duration${tag} with med and p(99) (summaryTrendStats), so it was not evaluated.`);
      continue;
    }
    const requests = reqs.count ?? 0;
    const failed = metrics.get(`http_req_failed${tag}`);
    const failedCount = failed?.passes ?? Math.round((failed?.rate ?? 0) * requests);
    const dropped = metrics.get(`dropped_iterations${tag}`)?.count ?? 0;
    const scheduled = requests + dropped;
    const errorRate = scheduled ? Math.round(((failedCount + dropped) / scheduled) * 1e5) / 1e5 : 0;
    const latency = { count: dur.count ?? requests, min: dur.min ?? 0, mean: dur.avg ?? 0, p50: dur.med, p90: dur['p(90)'] ?? 0, p95: dur['p(95)'] ?? 0, p99: dur['p(99)'], p999: dur['p(99.9)'] ?? 0, max: dur.max ?? 0 };
    const f: StepFigures = { phase: s.phase, name: s.name, offeredRate: s.rate ?? 0, p50: r3(latency.p50), p99: r3(latency.p99), errorRate, interrupted: requests === 0 };
    const extra: Record<string, number> = { k6_dropped_iterations: dropped, k6_failed_requests: failedCount };
    if (s.rate === null) {
      const answered = metrics.get(`http_reqs{scenario:${s.name},expected_response:true}`)?.count ?? 0;
      extra.decided_per_s = r3(answered / s.durationS);
    }
    const step: EvidenceStep = {
      label: s.label,
      labels: s.labels,
      model: s.rate === null ? 'closed' : 'open',
      offeredRate: s.rate,
      achievedRate: r3(requests / s.durationS),
      durationS: s.durationS,
      requests: s.rate === null ? requests : Math.floor(s.rate * s.durationS),
      errors: { total: failedCount + dropped, rate: errorRate, byKind: { ...(failedCount ? { unexpected_status: failedCount } : {}), ...(dropped ? { dropped } : {}) } },
      latency,
      extra,
      ...(plan.slo && s.rate !== null ? { withinSlo: meetsSlo(f, plan.slo) } : {}),
    };
    steps.push(step);
    figures.push(f);
    byName.set(s.name, { figures: f, step });
  }

  let metricsOut: Record<string, number> = {};
  let units: Record<string, string> = {};
  const set = (name: string, value: number, unit: string) => {
    metricsOut[name] = value;
    units[name] = unit;
  };
  if (def.kind === 'http-mix') {
    const m = mixMetrics(def, figures);
    metricsOut = m.metrics;
    units = m.units;
    notes.push(...m.notes);
  } else if (def.kind === 'dau') {
    const { lastPass, firstFail } = bounds(figures, def.slo);
    const sustainable = lastPass?.offeredRate ?? 0;
    metricsOut = {
      dau_capacity: dauCapacity(sustainable, def.model),
      sustainable_rate_rps: sustainable,
      projected_dau: def.model.projectedDau,
      projected_peak_rps: Math.round(requiredRate(def.model.projectedDau, def.model) * 100) / 100,
      slo_p99_ms: def.slo.p99Ms,
      ...(lastPass ? { p99_at_sustainable_ms: lastPass.p99, error_rate_at_sustainable: lastPass.errorRate } : {}),
      ...(firstFail !== undefined ? { first_failing_rate_rps: firstFail } : {}),
    };
    units = { dau_capacity: 'users/day', sustainable_rate_rps: 'req/s', projected_dau: 'users/day', projected_peak_rps: 'req/s', slo_p99_ms: 'ms', p99_at_sustainable_ms: 'ms', error_rate_at_sustainable: 'ratio', first_failing_rate_rps: 'req/s' };
  } else if (def.kind === 'write-contention') {
    const strategy = stepsRun.find((s) => s.labels.strategy)?.labels.strategy ?? opts.strategy ?? def.currentStrategy;
    const key = strategy.replace(/-/g, '_');
    for (const rows of ['hot', 'uniform']) {
      const got = byName.get(rows);
      if (!got) continue;
      metricsOut[`${rows}_p99_ms_${key}`] = got.figures.p99;
      units[`${rows}_p99_ms_${key}`] = 'ms';
      if (rows === 'hot' && strategy === def.currentStrategy) set('hot_row_p99_ms', got.figures.p99, 'ms');
    }
    const ceiling = byName.get('ceiling');
    if (ceiling) {
      metricsOut[`hot_ceiling_writes_per_s_${key}`] = ceiling.step.extra.decided_per_s!;
      units[`hot_ceiling_writes_per_s_${key}`] = 'writes/s';
      if (strategy === def.currentStrategy) set('hot_row_ceiling_writes_per_s', ceiling.step.extra.decided_per_s!, 'writes/s');
    }
  } else if (def.kind === 'notification-lag') {
    // The bids only: the lag is read from PostgreSQL, which k6 cannot (the plan's notes say so).
    const hot = byName.get('hot');
    if (hot) {
      set('bid_p99_ms', hot.figures.p99, 'ms');
      set('bid_error_rate', hot.step.errors.rate, 'ratio');
    }
  } else if (def.kind === 'module-cost') {
    // The requests only: the CPU per request is read from /proc by the in-repo runner (the plan's notes say so).
    metricsOut = {};
  } else {
    const mode = stepsRun.find((s) => s.labels.mode)?.labels.mode ?? opts.mode ?? def.currentMode;
    const fastSteps = stepsRun.filter((s) => s.phase === 'fast');
    const rates = fastSteps.map((s) => Number(s.labels.taskRate));
    const nearest = rates.reduce((best, r) => (Math.abs(r - def.expectedTaskRate) < Math.abs(best - def.expectedTaskRate) ? r : best), rates[0] ?? def.expectedTaskRate);
    const at = fastSteps.find((s) => Number(s.labels.taskRate) === nearest);
    const got = at && byName.get(at.name);
    metricsOut = { fast_route_slo_ms: def.fastRouteSloMs, expected_task_rate: def.expectedTaskRate };
    units = { fast_route_slo_ms: 'ms', expected_task_rate: 'tasks/s' };
    if (got) {
      metricsOut[`fast_route_p99_ms_${mode}`] = got.figures.p99;
      units[`fast_route_p99_ms_${mode}`] = 'ms';
      const task = byName.get(at!.name.replace('fast_', 'task_'));
      if (task) set(`task_p99_ms_${mode}`, task.figures.p99, 'ms');
      if (mode === def.currentMode) set('colocated_fast_route_p99_ms', got.figures.p99, 'ms');
    }
  }

  const finishedAt = meta?.finishedAt ? new Date(meta.finishedAt) : (await stat(opts.summaryFile)).mtime;
  const startedAt = new Date(finishedAt.getTime() - (summary.state?.testRunDurationMs ?? 0));
  notes.push(
    'The k6 host is not recorded in a k6 summary: machine facts and load average are placeholders, not the load generator\'s.',
    'archfit cannot calibrate k6 (quality.calibration is null): the trigger policy lets these runs decide only when triggers.evidence.externalRunners lists k6.',
  );
  return buildEvidence({
    scenario: def.id,
    definitionHash: opts.definition.hash,
    profile,
    runner: { name: 'k6', version: meta?.k6Version ?? 'unknown' },
    startedAt,
    finishedAt,
    interrupted: false,
    commit: await gitCommit(opts.root),
    machine: { platform: 'k6 (not recorded)', arch: 'unknown', cpus: 0, cpuModel: 'unknown', memoryBytes: 0, node: 'none (k6)' },
    target: { url: meta?.target ?? plan.baseUrl, appEnv: {} },
    steps,
    database: {},
    metrics: metricsOut,
    units,
    thresholds: def.thresholds,
    notes,
    quality: {
      calibration: null,
      loadAverage: { samples: [], min: 0, max: 0 },
      // k6 reports no schedule lateness; a step it could not keep up with shows as dropped iterations (errors above).
      generator: { cpuShareMax: null, lateP99MaxMs: 0, behindSteps: [] },
      errorRateMax: Math.max(0, ...figures.map((f) => f.errorRate)),
    },
  });
}

/** One evidence file from several k6 runs of a scenario (one per strategy or mode), as the in-repo runner writes one. */
export function mergeK6Evidence(runs: readonly Evidence[], thresholds: Parameters<typeof buildEvidence>[0]['thresholds']): Evidence {
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  return buildEvidence({
    scenario: first.scenario,
    definitionHash: first.definitionHash,
    profile: first.profile,
    runner: first.runner,
    startedAt: new Date(first.startedAt),
    finishedAt: new Date(last.finishedAt),
    interrupted: runs.some((r) => r.interrupted),
    commit: first.commit,
    machine: first.machine,
    target: first.target,
    steps: runs.flatMap((r) => r.steps),
    database: {},
    metrics: Object.assign({}, ...runs.map((r) => r.metrics)),
    units: Object.assign({}, ...runs.map((r) => r.units)),
    thresholds,
    notes: [...new Set(runs.flatMap((r) => r.notes))],
    quality: { ...first.quality!, errorRateMax: Math.max(...runs.map((r) => r.quality?.errorRateMax ?? 0)) },
  });
}

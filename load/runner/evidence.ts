import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import { EVIDENCE_SCHEMA_VERSION, EvidenceSchema, evidenceTimestamp, type Evidence, type EvidenceStep, type ThresholdVerdict } from 'archfit';
import type { Threshold } from '../scenarios/schema.js';
import type { LatencySummary } from './histogram.js';
import type { OpenModelResult } from './open-model.js';

export type { Evidence, EvidenceStep };
export const RUNNER_VERSION = '0.2.0';
const run = promisify(execFile);

export async function gitCommit(cwd: string): Promise<Evidence['commit']> {
  try {
    const sha = (await run('git', ['rev-parse', 'HEAD'], { cwd })).stdout.trim();
    const dirty = (await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd })).stdout.trim().length > 0;
    return { sha, dirty };
  } catch {
    return null;
  }
}

export function machineFacts(postgres?: string): Evidence['machine'] {
  const cpus = os.cpus();
  return {
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
    ...(postgres ? { postgres } : {}),
  };
}

function holds(actual: number, comparator: Threshold['comparator'], value: number): boolean {
  return comparator === '<' ? actual < value : comparator === '<=' ? actual <= value : comparator === '>' ? actual > value : actual >= value;
}

/** A verdict per threshold, computed from the metrics (never from a runner's own pass/fail). */
export function verdicts(thresholds: readonly Threshold[], metrics: Record<string, number>): ThresholdVerdict[] {
  return thresholds.map((t) => {
    const actual = metrics[t.metric];
    const base = { id: t.id, metric: t.metric, comparator: t.comparator, value: t.value, unit: t.unit };
    if (actual === undefined || !Number.isFinite(actual)) return { ...base, actual: null, verdict: 'missing' as const };
    return { ...base, actual, verdict: holds(actual, t.comparator, t.value) ? ('pass' as const) : ('fail' as const) };
  });
}

/**
 * One open-model run as an evidence step: offered, sent, achieved, dropped and timeouts, the
 * generator's own lateness and CPU, and the verdict. `withinSlo` is the scenario's judgement of
 * the app; a step whose generator fell behind or that was cut short is `inconclusive` whatever
 * it says, because its figures are partly the generator's.
 */
export function stepFromOpen(label: string, labels: Record<string, string>, r: OpenModelResult, extra: Record<string, number> = {}, withinSlo?: boolean): EvidenceStep {
  const inconclusive = r.interrupted || r.generator.behind;
  return {
    label,
    labels,
    model: 'open',
    offeredRate: r.offeredRate,
    achievedRate: r.achievedRate,
    durationS: r.durationS,
    requests: r.planned,
    errors: r.errors,
    latency: r.latency,
    routes: r.routes,
    extra,
    ...(withinSlo === undefined ? {} : { withinSlo: withinSlo && !inconclusive, verdict: inconclusive ? ('inconclusive' as const) : withinSlo ? ('pass' as const) : ('fail' as const) }),
    counts: { offered: r.planned, sent: r.sent, achieved: r.achieved, dropped: r.dropped, timeouts: r.timeouts },
    generator: r.generator,
  };
}

export interface EvidenceInput {
  scenario: string;
  definitionHash: string;
  profile: string;
  runner: { name: string; version: string };
  startedAt: Date;
  finishedAt: Date;
  interrupted: boolean;
  commit: Evidence['commit'];
  machine: Evidence['machine'];
  target: Evidence['target'];
  steps: EvidenceStep[];
  database: Record<string, number>;
  metrics: Record<string, number>;
  units: Record<string, string>;
  thresholds: readonly Threshold[];
  notes: string[];
  /** How far the run can be trusted (calibration, load, generator); required by schemaVersion 2 readers. */
  quality?: Evidence['quality'];
}

export function buildEvidence(input: EvidenceInput): Evidence {
  const evidence: Evidence = {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    scenario: input.scenario,
    definitionHash: input.definitionHash,
    profile: input.profile,
    runner: input.runner,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    interrupted: input.interrupted,
    commit: input.commit,
    machine: input.machine,
    target: input.target,
    steps: input.steps,
    database: input.database,
    metrics: input.metrics,
    units: input.units,
    thresholds: verdicts(input.thresholds, input.metrics),
    notes: input.notes,
    ...(input.quality ? { quality: input.quality } : {}),
  };
  const error = Value.Errors(EvidenceSchema, evidence).First();
  // Writing evidence the triggers cannot read would turn a measurement into an `invalid` trigger later.
  if (error) throw new Error(`refusing to write evidence that breaks its schema at ${error.path}: ${error.message}`);
  return evidence;
}

/** Writes `<dir>/<scenario>-<timestamp>.json` and returns its path. */
export async function writeEvidence(dir: string, evidence: Evidence): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${evidence.scenario}-${evidenceTimestamp(new Date(evidence.finishedAt))}.json`);
  await writeFile(file, `${JSON.stringify(evidence, null, 2)}\n`);
  return file;
}

export const emptyLatency: LatencySummary = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };

import type { Comparator, RevisitTrigger } from '../adr/schema.js';
import type { EvidenceRead } from './evidence-store.js';

export const TRIGGER_STATUSES = ['armed', 'fired', 'no-evidence', 'stale', 'invalid'] as const;
export type TriggerStatus = (typeof TRIGGER_STATUSES)[number];

/** One trigger's state, as `archfit triggers --format json` prints it. */
export interface TriggerResult {
  id: string;
  /** Number of the ADR that declares the trigger. */
  adr: number;
  /** Repo-relative ADR file, for findings. */
  adrFile: string;
  status: TriggerStatus;
  metric: string;
  comparator: Comparator;
  /** The measured value; null when there is none to read. */
  value: number | null;
  threshold: number;
  unit: string;
  /** Repo-relative evidence file, or `repository:<measurement>` for figures archfit measures itself. */
  evidence: string | null;
  /** Why the status is what it is, in one sentence. */
  reason: string;
}

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}

/** `7d` / `12h` in milliseconds. */
export function parseWindow(sustain: string): number {
  const m = /^(\d+)([hd])$/.exec(sustain);
  if (!m) throw new Error(`not a window: ${sustain} (expected e.g. 7d or 12h)`);
  return Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
}

type Base = Omit<TriggerResult, 'status' | 'value' | 'evidence' | 'reason'>;

function base(trigger: RevisitTrigger, adr: number, adrFile: string): Base {
  return { id: trigger.id, adr, adrFile, metric: trigger.metric, comparator: trigger.comparator, threshold: trigger.threshold.value, unit: trigger.threshold.unit };
}

type Reading = { ok: true; value: number } | { ok: false; reason: string };

/** Reads the trigger's metric from valid evidence; a missing metric or a unit mismatch is never "not fired". */
function readMetric(trigger: RevisitTrigger, read: EvidenceRead): Reading {
  if (!read.ok) return { ok: false, reason: `evidence ${read.file} ${read.reason}` };
  const ev = read.evidence;
  const value = ev.metrics[trigger.metric];
  if (value === undefined) return { ok: false, reason: `evidence ${read.file} has no metric ${trigger.metric} (it has: ${Object.keys(ev.metrics).join(', ') || 'none'})` };
  if (!Number.isFinite(value)) return { ok: false, reason: `metric ${trigger.metric} in ${read.file} is not a finite number` };
  const unit = ev.units[trigger.metric];
  if (unit !== undefined && unit !== trigger.threshold.unit) {
    return { ok: false, reason: `metric ${trigger.metric} in ${read.file} is in ${unit}, the trigger's threshold in ${trigger.threshold.unit}` };
  }
  return { ok: true, value };
}

export interface ScenarioEvaluationInput {
  trigger: RevisitTrigger;
  adr: number;
  adrFile: string;
  /** This scenario's evidence, newest first. Interrupted runs are skipped: their figures are partial. */
  evidence: EvidenceRead[];
  now: Date;
  maxAgeDays: number;
}

/**
 * The status of a scenario-measured trigger from its newest complete evidence:
 * none -> no-evidence; unreadable or missing metric -> invalid; older than the age limit -> stale;
 * otherwise fired when `value comparator threshold` holds (for every evidence inside the
 * `sustain` window, if one is set), else armed.
 */
export function evaluateScenarioTrigger(input: ScenarioEvaluationInput): TriggerResult {
  const { trigger, now } = input;
  const b = base(trigger, input.adr, input.adrFile);
  const usable = input.evidence.filter((r) => !(r.ok && r.evidence.interrupted));
  const newest = usable[0];
  if (!newest) {
    const skipped = input.evidence.length - usable.length;
    return { ...b, status: 'no-evidence', value: null, evidence: null, reason: skipped > 0 ? `only interrupted runs (${skipped}) for scenario ${scenarioOf(trigger)}` : `no evidence for scenario ${scenarioOf(trigger)} yet: run archfit load ${scenarioOf(trigger)}` };
  }
  const reading = readMetric(trigger, newest);
  if (!reading.ok) return { ...b, status: 'invalid', value: null, evidence: newest.file, reason: reading.reason };
  const finished = new Date((newest as Extract<EvidenceRead, { ok: true }>).evidence.finishedAt);
  const ageDays = (now.getTime() - finished.getTime()) / 86_400_000;
  if (ageDays > input.maxAgeDays) {
    return { ...b, status: 'stale', value: reading.value, evidence: newest.file, reason: `newest evidence is ${Math.floor(ageDays)} days old (limit ${input.maxAgeDays}): measure again` };
  }
  const fires = compare(reading.value, trigger.comparator, trigger.threshold.value);
  const stated = `${reading.value} ${trigger.comparator} ${trigger.threshold.value} ${trigger.threshold.unit}`;
  if (!fires) return { ...b, status: 'armed', value: reading.value, evidence: newest.file, reason: `${stated} does not hold` };
  if (!trigger.sustain) return { ...b, status: 'fired', value: reading.value, evidence: newest.file, reason: `${stated} holds` };

  // Sustained: every complete run inside the window, and the last one before it, must fire.
  const windowMs = parseWindow(trigger.sustain);
  const inWindow: number[] = [];
  let coversWindow = false;
  for (const r of usable) {
    if (!r.ok) return { ...b, status: 'invalid', value: reading.value, evidence: r.file, reason: `evidence in the ${trigger.sustain} window is unreadable: ${r.reason}` };
    const m = readMetric(trigger, r);
    if (!m.ok) return { ...b, status: 'invalid', value: reading.value, evidence: r.file, reason: m.reason };
    inWindow.push(m.value);
    // The first run from before the window is the state when the window opened: it must fire
    // too, and its existence is what proves the condition spans the whole window.
    if (finished.getTime() - new Date(r.evidence.finishedAt).getTime() >= windowMs) {
      coversWindow = true;
      break;
    }
  }
  const allFire = inWindow.every((v) => compare(v, trigger.comparator, trigger.threshold.value));
  if (!allFire) return { ...b, status: 'armed', value: reading.value, evidence: newest.file, reason: `${stated} holds now but not in every run of the last ${trigger.sustain}` };
  if (!coversWindow) return { ...b, status: 'armed', value: reading.value, evidence: newest.file, reason: `${stated} holds, but the evidence does not yet span ${trigger.sustain}` };
  return { ...b, status: 'fired', value: reading.value, evidence: newest.file, reason: `${stated} held in all ${inWindow.length} runs of the last ${trigger.sustain}` };
}

export interface RepositoryEvaluationInput {
  trigger: RevisitTrigger;
  adr: number;
  adrFile: string;
  measurement: string;
  reading: Reading & { detail?: string };
}

/** Repository measurements are taken now, so they are never stale. */
export function evaluateRepositoryTrigger(input: RepositoryEvaluationInput): TriggerResult {
  const { trigger, reading } = input;
  const b = base(trigger, input.adr, input.adrFile);
  const evidence = `repository:${input.measurement}`;
  if (!reading.ok) return { ...b, status: 'invalid', value: null, evidence, reason: reading.reason };
  const fires = compare(reading.value, trigger.comparator, trigger.threshold.value);
  const stated = `${reading.value} ${trigger.comparator} ${trigger.threshold.value} ${trigger.threshold.unit}`;
  const detail = reading.detail ? ` (${reading.detail})` : '';
  return { ...b, status: fires ? 'fired' : 'armed', value: reading.value, evidence, reason: `${stated} ${fires ? 'holds' : 'does not hold'}${detail}` };
}

function scenarioOf(trigger: RevisitTrigger): string {
  return 'scenario' in trigger.source ? trigger.source.scenario : '?';
}

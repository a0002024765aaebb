import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Evidence } from './evidence-schema.js';

/**
 * Which evidence may arm or fire a trigger (config `triggers.evidence`). Evidence that does
 * not qualify is still shown, as indicative, but it never decides a trigger's status and never
 * hides a qualifying run.
 */
export interface EvidencePolicy {
  /** Profiles whose runs qualify. Default: full only (quick and test runs are indicative). */
  profiles: string[];
  /** `match`: the run's definition hash must equal the scenario file's today. Default match. */
  definitionHash: 'match' | 'any';
  /** Largest calibration error a qualifying run may have recorded (0.1 = 10 %). Runs with no calibration never qualify. */
  maxCalibrationError: number;
  /** `reject`: a run where any step's generator fell behind does not qualify. Default reject. */
  generatorBehind: 'reject' | 'accept';
  /** Stale or missing qualifying evidence for a scenario trigger fails `archfit check`. Default true. */
  requireFresh: boolean;
  /**
   * Runners archfit cannot calibrate (evidence `quality.calibration: null`) whose runs may still
   * qualify, e.g. `["k6"]` for a team that trusts its k6 cluster. Default none.
   */
  externalRunners: string[];
}

export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = {
  profiles: ['full'],
  definitionHash: 'match',
  maxCalibrationError: 0.1,
  generatorBehind: 'reject',
  requireFresh: true,
  externalRunners: [],
};

/** Clocks on two machines disagree a little; more than this in the future is a wrong date. */
const FUTURE_SKEW_MS = 5 * 60_000;

/** `sha256:` of a scenario definition's bytes (as the runner records it), or null when there is no such file. */
export async function definitionHash(root: string, scenariosDir: string, scenario: string): Promise<string | null> {
  try {
    const bytes = await readFile(path.resolve(root, scenariosDir, `${scenario}.json`));
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Why one run may not arm or fire a trigger; empty when it qualifies. */
export function disqualifications(ev: Evidence, ctx: { policy: EvidencePolicy; currentHash: string | null; now: Date }): string[] {
  const { policy } = ctx;
  const out: string[] = [];
  if (ev.interrupted) out.push('interrupted');
  if (!policy.profiles.includes(ev.profile)) out.push(`${ev.profile} profile (qualifying: ${policy.profiles.join(', ')})`);
  if (policy.definitionHash === 'match' && ev.definitionHash !== ctx.currentHash) out.push('definition hash differs from the scenario file today');
  const finished = Date.parse(ev.finishedAt);
  if (finished > ctx.now.getTime() + FUTURE_SKEW_MS) out.push(`dated in the future (${ev.finishedAt})`);
  if (Date.parse(ev.startedAt) > finished) out.push('starts after it finishes');
  const q = ev.quality;
  if (!q) out.push('records no calibration (schemaVersion 1)');
  else {
    if (q.calibration === null) {
      if (!policy.externalRunners.includes(ev.runner.name)) out.push(`not calibrated by archfit (runner ${ev.runner.name}; list it in triggers.evidence.externalRunners to let its runs decide)`);
    } else if (!q.calibration.passed || q.calibration.error > policy.maxCalibrationError) out.push(`calibration error ${round(q.calibration.error * 100)} % over ${round(policy.maxCalibrationError * 100)} %`);
    if (policy.generatorBehind === 'reject' && q.generator.behindSteps.length) out.push(`generator fell behind in ${q.generator.behindSteps.length} step(s)`);
  }
  return out;
}

const round = (v: number) => Math.round(v * 10) / 10;

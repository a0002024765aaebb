import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Rule, Violation } from './types.js';

const why = 'A fired revisit trigger means a decision\'s assumptions no longer hold; it must be re-decided, not ignored, and a trigger that cannot be evaluated is not a pass.';
const fix = 'Run `archfit adr revisit <trigger-id>` and accept the record (outcome reaffirmed, amended or superseded), citing the evidence that fired; for invalid, stale or missing evidence, fix or remove the file, or run `archfit load <scenario>` (full profile).';

const FIX: Record<string, (id: string | null) => string> = {
  unanswered: (id) => `Run \`archfit adr revisit ${id}\`, decide (reaffirmed, amended or superseded) and set the record's status to accepted.`,
  invalid: () => 'Fix or remove the evidence file named, or point the trigger at a scenario that exists.',
  stale: (id) => `Measure again: \`archfit load <scenario>\` with the full profile (the evidence policy is triggers.evidence in archfit.config; trigger ${id}).`,
  'no-evidence': (id) => `Measure: \`archfit load <scenario>\` with the full profile on a machine that passes calibration (trigger ${id}).`,
  problem: () => 'Fix the ADR front matter named.',
};

/**
 * `archfit check` fails while the revisit gate is closed (triggers/gate.ts): a fired trigger
 * no accepted revisit answers, a trigger that cannot be evaluated, or (policy requireFresh,
 * default on) a scenario trigger without fresh qualifying evidence.
 */
export const revisitRequired: Rule = {
  id: 'revisit-required',
  severity: 'error',
  why,
  fix,
  async check(ctx): Promise<Violation[]> {
    if (!existsSync(path.resolve(ctx.root, ctx.config.adr.dir))) return [];
    // Loaded on demand: evaluating triggers pulls in the ADR and evidence stack, which a
    // repository without ADRs should not pay for on every run.
    const [{ evaluateTriggers }, { gateFindings }, { triggerSettingsFromConfig }] = await Promise.all([
      import('../triggers/index.js'),
      import('../triggers/gate.js'),
      import('../triggers/settings.js'),
    ]);
    const settings = triggerSettingsFromConfig(ctx.config);
    const report = await evaluateTriggers(settings);
    return gateFindings(report, settings.policy!).map((f) => ({
      rule: 'revisit-required',
      severity: 'error',
      file: f.file,
      line: f.line,
      column: 1,
      message: f.message,
      why,
      fix: FIX[f.kind]!(f.triggerId),
    }));
  },
};

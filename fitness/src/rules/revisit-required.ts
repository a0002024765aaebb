import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Rule, Violation } from './types.js';

const why = 'A fired revisit trigger means a decision\'s assumptions no longer hold; it must be re-decided, not ignored.';
const fix = 'Run `archfit adr revisit <trigger-id>`: it drafts a revisit ADR with the evidence embedded (outcome reaffirmed, amended or superseded).';

/**
 * `archfit check` fails while a trigger has fired (newest evidence, or a repository
 * measurement, crosses its threshold) and no later ADR `revisits` the record that declares it.
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
    const [{ evaluateTriggers }, { unansweredFiredTriggers }, { triggerSettingsFromConfig }] = await Promise.all([
      import('../triggers/index.js'),
      import('../triggers/revisits.js'),
      import('../triggers/settings.js'),
    ]);
    const report = await evaluateTriggers(triggerSettingsFromConfig(ctx.config));
    return unansweredFiredTriggers(report.triggers, report.declared, report.records).map(({ result, declared }) => ({
      rule: 'revisit-required',
      severity: 'error',
      file: declared.adrFile,
      line: declared.line,
      column: 1,
      message: `trigger ${result.id} of ADR ${String(result.adr).padStart(4, '0')} fired (${result.reason}; evidence ${result.evidence}) and no later ADR revisits it`,
      why,
      fix: `Run \`archfit adr revisit ${result.id}\` and decide: reaffirmed, amended or superseded.`,
    }));
  },
};

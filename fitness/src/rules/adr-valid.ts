import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Rule, Violation } from './types.js';

const why = 'ADRs are data other checks rely on: broken numbers, links, confirmations or triggers make them lie.';
const fix = 'Run `archfit adr lint` and apply the fix each finding names.';

/**
 * `archfit check` runs the ADR lint as one rule, so a broken decision record fails the build
 * like a broken import does. Unreadable records are violations here too: `check` has no
 * separate "bad input" channel per rule, and the message says the file does not parse.
 */
export const adrValid: Rule = {
  id: 'adr-valid',
  severity: 'error',
  why,
  fix,
  async check(ctx): Promise<Violation[]> {
    // A repository that keeps no ADRs has nothing to lint; `archfit adr lint` still says so.
    if (!existsSync(path.resolve(ctx.root, ctx.config.adr.dir))) return [];
    // Loaded on demand: the ADR stack (YAML, schema compiler) is a fixed cost every run would pay.
    const { lintAdrs } = await import('../adr/lint.js');
    const result = await lintAdrs({ root: ctx.root, dir: ctx.config.adr.dir, scenariosDir: ctx.config.load.scenarios, requireConfirmation: ctx.config.adr.requireConfirmation ?? false, naming: ctx.config.adr.naming ?? 'number' });
    return [...result.unreadable, ...result.findings].map((f) => ({
      rule: 'adr-valid',
      severity: 'error',
      file: f.file,
      line: f.line,
      column: 1,
      message: `[${f.code}] ${f.message}`,
      why,
      fix: f.fix,
    }));
  },
};

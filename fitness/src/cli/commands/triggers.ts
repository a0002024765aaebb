import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config/index.js';
import { AdrReadError } from '../../adr/parse.js';
import { evaluateTriggers } from '../../triggers/index.js';
import { formatTriggerTable, triggersJson } from '../../triggers/format.js';
import { triggerSettingsFromConfig } from '../../triggers/settings.js';
import { EXIT, type SetExit } from '../exit-codes.js';

/**
 * `archfit triggers [--format json]`: every ADR revisit trigger against its newest evidence.
 * Exit 0 when none fired, 1 when one did, 2 on bad input (config, ADRs, evidence).
 */
export function registerTriggersCommand(program: Command, setExit: SetExit): void {
  program
    .command('triggers')
    .description('Evaluate the ADRs\' revisit triggers against the newest load evidence and repository measurements')
    .option('--format <format>', 'text or json', 'text')
    .option('--root <dir>', 'repository root', process.cwd())
    .action(async (opts: { format: string; root: string }) => {
      if (opts.format !== 'text' && opts.format !== 'json') {
        process.stderr.write(`archfit triggers: --format must be text or json, not ${opts.format}\n`);
        setExit(EXIT.usage);
        return;
      }
      let report;
      try {
        const config = await loadConfig(opts.root);
        report = await evaluateTriggers(triggerSettingsFromConfig(config));
      } catch (err) {
        if (err instanceof ConfigError || err instanceof AdrReadError) {
          process.stderr.write(`archfit triggers: ${err.message}\n`);
          setExit(EXIT.usage);
          return;
        }
        throw err;
      }
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(triggersJson(report.triggers, report.problems), null, 2)}\n`);
      else process.stdout.write(formatTriggerTable(report.triggers));
      for (const p of report.problems) process.stderr.write(`archfit triggers: ${p}\n`);
      if (report.problems.length || report.triggers.some((t) => t.status === 'invalid')) setExit(EXIT.usage);
      if (report.triggers.some((t) => t.status === 'fired')) setExit(EXIT.findings);
    });
}

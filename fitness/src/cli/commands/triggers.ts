import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config/index.js';
import { AdrReadError } from '../../adr/parse.js';
import { rules } from '../../rules/index.js';
import { evaluateTriggers } from '../../triggers/index.js';
import { formatTriggerTable, triggersJson } from '../../triggers/format.js';
import { gateExitCode, gateFindings } from '../../triggers/gate.js';
import { DEFAULT_EVIDENCE_POLICY } from '../../triggers/policy.js';
import { triggerSettingsFromConfig } from '../../triggers/settings.js';
import { EXIT, type SetExit } from '../exit-codes.js';

/**
 * `archfit triggers [--format json]`: every ADR revisit trigger against its qualifying evidence.
 * Exits as `archfit check` does on the same repository: 1 while the revisit gate is closed (a
 * fired trigger without an accepted revisit, a trigger that cannot be evaluated, stale or
 * missing evidence under the default policy), 0 when it is open, 2 on a bad flag or config.
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
      let settings;
      try {
        const config = await loadConfig(opts.root, { rules });
        settings = triggerSettingsFromConfig(config);
        report = await evaluateTriggers(settings);
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
      const findings = gateFindings(report, settings.policy ?? DEFAULT_EVIDENCE_POLICY);
      for (const f of findings) process.stderr.write(`archfit triggers: ${f.message}\n`);
      setExit(gateExitCode(findings) ? EXIT.findings : EXIT.ok);
    });
}

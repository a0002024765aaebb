import type { Command } from 'commander';
import { AdrReadError } from '../../adr/parse.js';
import { ConfigError, loadConfig } from '../../config/index.js';
import { rules } from '../../rules/index.js';
import { draftRevisit, RevisitDraftError } from '../../triggers/revisit-draft.js';
import { triggerSettingsFromConfig } from '../../triggers/settings.js';
import { EXIT, type SetExit } from '../exit-codes.js';

/** `archfit adr revisit <trigger-id>`: drafts the revisit ADR for a trigger, evidence embedded. */
export function registerAdrRevisitCommand(adrCommand: Command, setExit: SetExit): void {
  adrCommand
    .command('revisit <trigger-id>')
    .description('Draft a revisit ADR for a fired trigger, with its evidence embedded and linked (outcome: reaffirmed | amended | superseded)')
    .option('--root <dir>', 'repository root', process.cwd())
    .option('--date <yyyy-mm-dd>', 'date of the new record (default: today, UTC)')
    .action(async (triggerId: string, opts: { root: string; date?: string }) => {
      if (opts.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) {
        process.stderr.write(`archfit adr revisit: --date must be YYYY-MM-DD, not ${opts.date}\n`);
        setExit(EXIT.usage);
        return;
      }
      try {
        const settings = triggerSettingsFromConfig(await loadConfig(opts.root, { rules }));
        const draft = await draftRevisit(settings, triggerId, opts.date ? { date: opts.date } : {});
        if (draft.trigger.status !== 'fired') {
          process.stderr.write(`note: ${triggerId} is ${draft.trigger.status}, not fired; the draft records that\n`);
        }
        process.stdout.write(`drafted ${draft.file} (revisits ADR ${draft.trigger.adr}, trigger ${triggerId}); added revisited-by to ${draft.updated}\n`);
      } catch (err) {
        if (err instanceof RevisitDraftError || err instanceof ConfigError || err instanceof AdrReadError) {
          process.stderr.write(`archfit adr revisit: ${err.message}\n`);
          setExit(EXIT.usage);
          return;
        }
        throw err;
      }
    });
}

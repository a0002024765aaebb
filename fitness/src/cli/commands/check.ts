import path from 'node:path';
import type { Command } from 'commander';
import { CHECK_FORMATS, formatCheckResult } from '../../report/index.js';
import { runCheck } from '../../rules/run.js';
import { type SetExit } from '../exit-codes.js';
import { assertFormat, emit, reportUsageError } from '../../report/cli-output.js';

interface CheckFlags {
  format: string;
  output?: string;
  changed?: string;
  updateBaseline?: boolean;
  baseline: boolean;
  cache: boolean;
  rule?: string[];
}

export function registerCheckCommand(program: Command, setExit: SetExit): void {
  program
    .command('check')
    .description('Run the fitness rules on a repository: exit 0 clean, 1 violations, 2 usage or config error.')
    .argument('[dir]', 'repository root holding archfit.config.*', '.')
    .option('-f, --format <format>', `report format: ${CHECK_FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--changed <git-ref>', 'report only files changed since <git-ref> (committed, staged, unstaged, untracked)')
    .option('--update-baseline', "record today's violations in the baseline file (archfit-baseline.json)")
    .option('--no-baseline', 'ignore the baseline: report every violation')
    .option('--no-cache', 'do not read or write .archfit-cache/')
    .option('--rule <id...>', 'run only these rules')
    .action(async (dir: string, flags: CheckFlags) => {
      try {
        const format = assertFormat(flags.format, CHECK_FORMATS);
        const result = await runCheck({
          root: path.resolve(dir),
          ...(flags.cache ? {} : { cache: false }),
          ...(flags.changed ? { changed: flags.changed } : {}),
          ...(flags.updateBaseline ? { updateBaseline: true } : {}),
          ...(flags.baseline ? {} : { noBaseline: true }),
          ...(flags.rule ? { only: flags.rule } : {}),
        });
        emit(formatCheckResult(result, format), flags.output);
        setExit(result.exitCode);
      } catch (err) {
        reportUsageError(err, 'check', setExit);
      }
    });
}

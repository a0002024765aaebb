import { Command, CommanderError } from 'commander';
import { registerAdrCommand } from './commands/adr.js';
import { registerCheckCommand } from './commands/check.js';
import { registerGraphCommand } from './commands/graph.js';
import { registerLoadCommand } from './commands/load.js';
import { registerModulesCommand } from './commands/modules.js';
import { registerTriggersCommand } from './commands/triggers.js';
import { EXIT } from './exit-codes.js';

/**
 * The CLI is a thin shell over the library API: each command file parses its options,
 * calls the library, prints a report and returns an exit code. Tests call the library.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('archfit')
    .description('Architecture decisions you can execute: fitness functions, ADRs as data, extraction triggers.')
    .exitOverride()
    .showHelpAfterError();
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  registerCheckCommand(program, setExit);
  registerModulesCommand(program, setExit);
  registerGraphCommand(program, setExit);
  registerAdrCommand(program, setExit);
  registerTriggersCommand(program, setExit);
  registerLoadCommand(program, setExit);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other parse failure is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`archfit: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }
  return exitCode;
}

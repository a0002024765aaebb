import type { Command } from 'commander';
import { EXIT, type SetExit } from '../exit-codes.js';

// Placeholder registration so the CLI builds while this command is being written.
export function registerLoadCommand(program: Command, setExit: SetExit): void {
  program
    .command('load')
    .description('(in progress)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('archfit load: not built yet\n');
      setExit(EXIT.usage);
    });
}

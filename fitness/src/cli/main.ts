import module from 'node:module';
import { Command, CommanderError } from 'commander';
import { archfitVersion } from '../version.js';
import { EXIT, type SetExit } from './exit-codes.js';

type Register = (program: Command, setExit: SetExit) => void;

/**
 * One loader per command file. Only the command being run is loaded (all of them for help or
 * an unknown name), so `archfit modules` does not pay for the ADR, trigger and load code.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  init: async () => (await import('./commands/init.js')).registerInitCommand,
  check: async () => (await import('./commands/check.js')).registerCheckCommand,
  modules: async () => (await import('./commands/modules.js')).registerModulesCommand,
  graph: async () => (await import('./commands/graph.js')).registerGraphCommand,
  adr: async () => (await import('./commands/adr.js')).registerAdrCommand,
  triggers: async () => (await import('./commands/triggers.js')).registerTriggersCommand,
  load: async () => (await import('./commands/load.js')).registerLoadCommand,
  site: async () => (await import('./commands/site.js')).registerSiteCommand,
};

/**
 * The CLI is a thin shell over the library API: each command file parses its options,
 * calls the library, prints a report and returns an exit code. Tests call the library.
 */
export async function main(argv: string[]): Promise<number> {
  // Node >= 22.1 keeps V8's compiled code between runs: loading the TypeScript compiler
  // (9 MB of JavaScript, needed when a file changed) drops from ~0.5 s to a fraction.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const program = new Command('archfit')
    .description('Architecture decisions you can execute: fitness functions, ADRs as data, extraction triggers.')
    .version(archfitVersion(), '-V, --version', 'print the archfit version')
    .exitOverride()
    .showHelpAfterError();
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const name = argv[2];
  const wanted = name && COMMANDS[name] ? [name] : name === '--version' || name === '-V' ? [] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((n) => COMMANDS[n]!()))) register(program, setExit);
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

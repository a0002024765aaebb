import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, type SetExit } from '../exit-codes.js';

const RUNNER = 'load/runner/main.ts';

/** The nearest directory at or above `from` holding the load runner (an archfit repository). */
function findRunnerRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, RUNNER))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * `archfit load [scenario...] [--runner open|autocannon|k6] [--quick]`: a thin shell over the
 * repository's load runner, run in its own process (under tsx) so Ctrl-C reaches it and it
 * can still write what it measured. Exit codes pass through: 0 every threshold held, 1 one
 * did not, 2 bad input (unknown scenario, no k6 on PATH).
 */
export function registerLoadCommand(program: Command, setExit: SetExit): void {
  program
    .command('load [scenarios...]')
    .description('Run load scenarios (dau, write-contention, compute-latency) and write evidence under load/results')
    .option('--runner <runner>', 'open (the in-repo open-model runner), autocannon (closed-model throughput) or k6', 'open')
    .option('--quick', 'the quick profile (under two minutes for all three)')
    .option('--profile <profile>', 'full, quick or test')
    .option('--results <dir>', 'where evidence goes (default load/results)')
    .option('--no-triggers', 'do not print the trigger table afterwards')
    .option('--root <dir>', 'repository root', process.cwd())
    .action(async (scenarios: string[], opts: { runner: string; quick?: boolean; profile?: string; results?: string; triggers: boolean; root: string }) => {
      const root = findRunnerRoot(opts.root);
      if (!root) {
        process.stderr.write(`archfit load: no ${RUNNER} at or above ${path.resolve(opts.root)}; load scenarios run from an archfit repository checkout\n`);
        setExit(EXIT.usage);
        return;
      }
      const args = [...scenarios, '--runner', opts.runner];
      if (opts.quick) args.push('--quick');
      if (opts.profile) args.push('--profile', opts.profile);
      if (opts.results) args.push('--results', path.resolve(opts.root, opts.results));
      if (!opts.triggers) args.push('--no-triggers');
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, RUNNER), ...args], { cwd: root, stdio: 'inherit' });
      // The child owns Ctrl-C (it stops cleanly and writes evidence); we only wait for it.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? EXIT.usage : EXIT.ok))));
      process.off('SIGINT', ignore);
      setExit(code === 0 ? EXIT.ok : code === 1 ? EXIT.findings : EXIT.usage);
    });
}

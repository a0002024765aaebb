import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** The @archfit/load package as the project at `root` resolves it (its own node_modules, or a workspace). */
export function findLoadPackage(root: string): string | undefined {
  try {
    return path.dirname(createRequire(path.join(path.resolve(root), 'package.json')).resolve('@archfit/load/package.json'));
  } catch {
    return undefined;
  }
}

interface LoadOptions {
  runner: string;
  quick?: boolean;
  profile?: string;
  results?: string;
  triggers: boolean;
  root: string;
  target?: string;
  allowHost?: string;
  k6?: boolean;
  out?: string;
  fixture?: string;
  strategy?: string;
  mode?: string;
  import?: string;
  definition?: string;
}

/** Runs a child to completion; it owns Ctrl-C (it stops cleanly and writes evidence), we only wait. */
async function runChild(args: string[], cwd: string): Promise<number> {
  const child = spawn(process.execPath, args, { cwd, stdio: 'inherit' });
  const ignore = () => {};
  process.on('SIGINT', ignore);
  const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? EXIT.usage : EXIT.ok))));
  process.off('SIGINT', ignore);
  // 4: the runner could not calibrate within tolerance and wrote no evidence (load/runner/main.ts).
  return code === 0 ? EXIT.ok : code === 1 ? EXIT.findings : code === EXIT.cannotMeasure ? EXIT.cannotMeasure : EXIT.usage;
}

/**
 * A definition file (`archfit load mix.json`), `--k6` or `--import`: the @archfit/load package,
 * resolved from the user's project, does the work, so archfit itself stays free of load code.
 */
async function runDefinition(files: string[], opts: LoadOptions): Promise<number> {
  const root = path.resolve(opts.root);
  const pkg = findLoadPackage(root);
  if (!pkg) {
    process.stderr.write(`archfit load: running a definition needs the @archfit/load package, and ${root} does not resolve it. Install it next to archfit: npm install --save-dev @archfit/load\n`);
    return EXIT.usage;
  }
  const args = [...files, '--root', root];
  const pass: Array<[keyof LoadOptions, string]> = [['target', '--target'], ['allowHost', '--allow-host'], ['out', '--out'], ['fixture', '--fixture'], ['strategy', '--strategy'], ['mode', '--mode'], ['import', '--import'], ['definition', '--definition'], ['profile', '--profile']];
  for (const [key, flag] of pass) if (typeof opts[key] === 'string') args.push(flag, path.isAbsolute(String(opts[key])) || !['out', 'fixture', 'import', 'definition'].includes(key) ? String(opts[key]) : path.resolve(String(opts[key])));
  if (opts.quick) args.push('--quick');
  if (opts.k6) args.push('--k6');
  if (opts.results) args.push('--results', path.resolve(root, opts.results));
  if (!opts.triggers) args.push('--no-triggers');
  return runChild([path.join(pkg, 'bin/archfit-load.js'), ...args], process.cwd());
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
    .description('Run load scenarios and write evidence: a definition file (http-mix, any app, through @archfit/load), or the reference app\'s dau, write-contention, compute-latency in an archfit checkout')
    .option('--runner <runner>', 'open (the in-repo open-model runner), autocannon (closed-model throughput) or k6', 'open')
    .option('--quick', "the quick profile: short steps, indicative only (the loop's three request-path scenarios take under two minutes)")
    .option('--profile <profile>', 'full, quick or test')
    .option('--results <dir>', 'where evidence goes (default load/results)')
    .option('--no-triggers', 'do not print the trigger table afterwards')
    .option('--root <dir>', 'repository root', process.cwd())
    .option('--target <url>', 'definition runs: the app\'s base URL (loopback unless --allow-host names its host)')
    .option('--allow-host <host>', 'definition runs: send load to this non-loopback host, named on purpose')
    .option('--k6', 'write the k6 script of a definition instead of running it')
    .option('--out <file>', 'with --k6: where the script goes')
    .option('--fixture <file>', 'with --k6: seeded tokens and listing ids for the reference-app kinds')
    .option('--strategy <strategy>', 'with --k6 or --import: the BID_STRATEGY the app ran (write-contention)')
    .option('--mode <mode>', 'with --k6 or --import: the ASSISTANT_EXECUTION mode the app ran (compute-latency)')
    .option('--import <summary>', 'turn a k6 summary (--summary-export or handleSummary) into evidence (runner k6)')
    .option('--definition <file>', 'with --import: the definition the k6 run came from')
    .action(async (scenarios: string[], opts: LoadOptions) => {
      if (opts.import || opts.k6 || scenarios.some((s) => s.endsWith('.json'))) {
        setExit(await runDefinition(scenarios, opts));
        return;
      }
      const root = findRunnerRoot(opts.root);
      if (!root) {
        process.stderr.write(`archfit load: ${scenarios.join(', ') || 'dau, write-contention, compute-latency'} run against the reference app, from an archfit repository checkout (no ${RUNNER} at or above ${path.resolve(opts.root)}). For your own app, pass an http-mix definition: archfit load <definition.json> (needs @archfit/load)\n`);
        setExit(EXIT.usage);
        return;
      }
      const args = [...scenarios, '--runner', opts.runner];
      if (opts.quick) args.push('--quick');
      if (opts.profile) args.push('--profile', opts.profile);
      if (opts.results) args.push('--results', path.resolve(opts.root, opts.results));
      if (!opts.triggers) args.push('--no-triggers');
      setExit(await runChild(['--import', 'tsx', path.join(root, RUNNER), ...args], root));
    });
}

/**
 * `npm run bench:fitness [-- --files 5000 --modules 40 --packages 20 --case all|modules|workspaces --keep]`
 *
 * Generates synthetic repositories, then times, in the same run and on the same files:
 * archfit check (cold: no cache; warm: unchanged tree, the median of three runs after the
 * first; one file changed, the median of three edits) and bare
 * dependency-cruiser with the equivalent rules (generated from the same module map by
 * toDependencyCruiserConfig): cold, warm with its --cache, and after the same one-file edit.
 * Two cases: `modules` (one tsconfig, src/modules/* with layers and aliases, a JSON config) and
 * `workspaces` (npm workspaces with per-package tsconfigs, Node16 CommonJS packages beside
 * NodeNext ESM ones, imports through package `exports`, and an archfit.config.ts that imports
 * node:fs). Wall time and peak RSS come from /usr/bin/time; figures are printed side by side
 * as ratios, each case with the load average before and after it. Each archfit run's JSON
 * report carries every rule's own time (`rules[].ms`): data-ownership's (it parses the
 * generated migrations and query strings with the PostgreSQL parser) is printed on its own line.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toDependencyCruiserConfig } from '../src/report/depcruise.js';
import { loadConfig } from '../src/index.js';
import { generateRepo, type Generated, type GenerateOptions } from './generate.js';
import { generateWorkspaceRepo } from './generate-workspaces.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FILES = flag('files', 5000);
const MODULES = flag('modules', 40);
const PACKAGES = flag('packages', 20);
const CASE = (() => {
  const i = args.indexOf('--case');
  return i >= 0 ? args[i + 1]! : 'all';
})();
const KEEP = args.includes('--keep');

const archfitBin = fileURLToPath(new URL('../bin/archfit.js', import.meta.url));
const depcruiseBin = fileURLToPath(new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)))) {
  console.error('bench: build archfit first (npm run build)');
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  console.error('bench: needs /usr/bin/time (GNU time) for peak memory');
  process.exit(2);
}

interface Measure {
  seconds: number;
  /** user + system CPU seconds: steadier than wall time on a shared machine. */
  cpu: number;
  rssMb: number;
  exit: number | null;
  out: string;
}

/** The run with the median wall time. */
function median(runs: Measure[]): Measure {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

/** Runs `node <args>` under GNU time: wall seconds and max RSS. */
function measure(cwd: string, nodeArgs: string[]): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, ...nodeArgs], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [seconds, kb, user, sys] = last.split(' ').map(Number);
  return { seconds: seconds ?? NaN, cpu: (user ?? NaN) + (sys ?? NaN), rssMb: (kb ?? NaN) / 1024, exit: r.status, out: r.stdout + r.stderr };
}

async function benchCase(name: string, generate: (o: GenerateOptions) => Generated, modules: number, scanDir: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `archfit-bench-${name}-`));
  console.log(`\n== case ${name}: ${FILES} files in ${modules} modules under ${dir}`);
  const gen = generate({ dir, files: FILES, modules });
  console.log(
    `bench: ${gen.files} files, ${gen.imports} import statements, ${gen.deliberateViolations} deliberate import violations` +
      (gen.migrations ? `, ${gen.migrations} SQL migrations, ${gen.deliberateDataViolations} deliberate data-ownership violation(s)` : ''),
  );

  const config = await loadConfig(dir);
  writeFileSync(path.join(dir, '.dependency-cruiser.json'), JSON.stringify(toDependencyCruiserConfig(config), null, 2));

  const archfit = (extra: string[] = []) => measure(dir, [archfitBin, 'check', '.', '--format', 'json', ...extra]);
  const depcruise = (extra: string[] = []) => measure(dir, [depcruiseBin, '--config', '.dependency-cruiser.json', '--output-type', 'json', ...extra, scanDir]);
  const edit = () => appendFileSync(path.join(dir, gen.editTarget), `\nexport const edited${Date.now()} = 1;\n`);

  const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  // The host's own speed, beside the figures: a shared VM's CPU varies by 2x over an hour here,
  // and an empty Node start-up is the floor every archfit run pays.
  const nodeStart = median([0, 1, 2, 3, 4].map(() => measure(dir, ['-e', '0'])));
  // archfit: cold (no cache dir), warm (unchanged), one file changed.
  rmSync(path.join(dir, '.archfit-cache'), { recursive: true, force: true });
  const aCold = archfit();
  // The first run after a cold one may still write (the file listing of folders that were
  // racy then): shown on its own; "unchanged" and "one changed" are medians of three runs.
  const aFirst = archfit();
  const aWarm = median([archfit(), archfit(), archfit()]);
  const aOne = median(
    [0, 1, 2].map(() => {
      edit();
      return archfit();
    }),
  );

  // dependency-cruiser: cold without cache; warm with --cache (primed once); after the same edit.
  const dCold = depcruise();
  depcruise(['--cache', '.depcruise-cache', '--cache-strategy', 'content']);
  const dWarm = depcruise(['--cache', '.depcruise-cache', '--cache-strategy', 'content']);
  edit();
  const dOne = depcruise(['--cache', '.depcruise-cache', '--cache-strategy', 'content']);

  const report = (m: Measure) => {
    try {
      return JSON.parse(m.out.slice(0, m.out.lastIndexOf('}') + 1)) as { summary: { errors: number }; rules: { id: string; ms?: number; violations: number }[]; timings: { graphMs: number; rulesMs: number } };
    } catch {
      return undefined;
    }
  };
  const archfitViolations = report(aCold)?.summary.errors ?? NaN;
  const ruleMs = (m: Measure, id: string) => report(m)?.rules.find((r) => r.id === id)?.ms ?? NaN;
  const dataViolations = report(aCold)?.rules.find((r) => r.id === 'data-ownership')?.violations ?? NaN;
  const depcruiseViolations = (() => {
    try {
      return (JSON.parse(dCold.out.slice(0, dCold.out.lastIndexOf('}') + 1)).summary.violations as unknown[]).length;
    } catch {
      return NaN;
    }
  })();

  const row = (label: string, a: number, d: number, unit: string, digits = 2) =>
    `${label.padEnd(22)} ${`${a.toFixed(digits)} ${unit}`.padStart(12)} ${`${d.toFixed(digits)} ${unit}`.padStart(14)} ${`${(a / d).toFixed(2)}x`.padStart(8)}`;
  console.log('');
  console.log(`${''.padEnd(22)} ${'archfit'.padStart(12)} ${'depcruise'.padStart(14)} ${'ratio'.padStart(8)}`);
  console.log(row('cold, wall', aCold.seconds, dCold.seconds, 's'));
  console.log(row('cold, CPU', aCold.cpu, dCold.cpu, 's'));
  console.log(`${'first run after cold'.padEnd(22)} ${`${aFirst.seconds.toFixed(2)} s`.padStart(12)}`);
  console.log(row('unchanged, wall', aWarm.seconds, dWarm.seconds, 's'));
  console.log(row('unchanged, CPU', aWarm.cpu, dWarm.cpu, 's'));
  console.log(row('one changed, wall', aOne.seconds, dOne.seconds, 's'));
  console.log(row('one changed, CPU', aOne.cpu, dOne.cpu, 's'));
  console.log(row('peak RSS, cold', aCold.rssMb, dCold.rssMb, 'MB', 0));
  console.log(row('peak RSS, one change', aOne.rssMb, dOne.rssMb, 'MB', 0));
  console.log('');
  const ms = (m: Measure) => `${(ruleMs(m, 'data-ownership') / 1000).toFixed(2)} s`;
  const rules = (m: Measure) => `${((report(m)?.timings.rulesMs ?? NaN) / 1000).toFixed(2)} s`;
  console.log(`data-ownership rule (wall, inside the archfit runs above): cold ${ms(aCold)} of ${rules(aCold)} for all rules; unchanged ${ms(aWarm)} of ${rules(aWarm)}; one changed ${ms(aOne)} of ${rules(aOne)}`);
  console.log(
    `violations: archfit ${archfitViolations} (exit ${aCold.exit}; data-ownership ${dataViolations}), depcruise ${depcruiseViolations} (exit ${dCold.exit}); deliberate: ${gen.deliberateViolations} import + ${gen.deliberateDataViolations ?? 0} data-ownership`,
  );
  console.log(`empty Node start-up on this host (median of 5): ${nodeStart.seconds.toFixed(2)} s`);
  console.log(`load average before/after: ${loadBefore} / ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

if (CASE === 'all' || CASE === 'modules') await benchCase('modules', generateRepo, MODULES, 'src');
if (CASE === 'all' || CASE === 'workspaces') await benchCase('workspaces', generateWorkspaceRepo, PACKAGES, 'packages');
console.log(`\nnode ${process.version}, ${os.cpus().length} CPUs; archfit rules: all registered; depcruise: the generated import rules + file-level circular`);

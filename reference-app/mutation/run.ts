/**
 * `npm run test:mutation [-- --guard <name-substring> ...] [--list] [--no-baseline]`: breaks each
 * guard of guards.ts in a scratch copy of the committed tree (never in the working tree, which
 * other people share), runs the guard's test files there with vitest and expects a test to FAIL.
 * Prints one line per guard: caught, SURVIVED, not applied or errored; exits 1 unless every
 * selected guard is caught. A bare argument (no flag) is read as `--guard` (the old form).
 *
 * Fail closed, three ways:
 * - a mutation whose text is not found (or found fewer times than it says) is "not applied";
 * - "caught" means vitest reported at least one failed TEST; a run that failed without one
 *   (the file did not load, the database was unreachable) is "errored", not caught;
 * - first the selected guards' test files run unmutated (the baseline) and must all pass, or
 *   nothing is reported: a test that fails anyway would "catch" every mutation.
 *
 * Why not Stryker: it mutates by operator, not by named guard (and its current release needs
 * Node 22+); the issue's list is of specific guards (a WHERE condition, a lock clause), and a
 * named text mutation per guard, checked to apply, says exactly which one the suite misses
 * (docs/reference-app.md).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GUARDS, type Guard } from './guards.js';

const root = resolve(import.meta.dirname, '../..');

class BaselineFailed extends Error {}

function parseArgs(argv: string[]) {
  const names: string[] = [];
  let list = false;
  let baseline = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--guard') names.push(argv[++i] ?? '');
    else if (arg.startsWith('--guard=')) names.push(arg.slice('--guard='.length));
    else if (arg === '--list') list = true;
    else if (arg === '--no-baseline') baseline = false;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  return { names: names.filter(Boolean), list, baseline };
}

const args = parseArgs(process.argv.slice(2));
const selected = GUARDS.filter((g) => args.names.length === 0 || args.names.some((n) => g.name.includes(n)));
if (args.list) {
  for (const g of selected) process.stdout.write(`${g.name}\n    ${g.file}\n    ${g.tests.join(', ')}${g.testName ? ` -t "${g.testName}"` : ''}\n`);
  process.exit(0);
}
if (selected.length === 0) {
  process.stderr.write(`no guard matches ${JSON.stringify(args.names)}; --list shows them\n`);
  process.exit(1);
}
const duplicateNames = GUARDS.map((g) => g.name).filter((n, i, all) => all.indexOf(n) !== i);
if (duplicateNames.length > 0) throw new Error(`guard names must be unique: ${duplicateNames.join(', ')}`);

const scratch = mkdtempSync(join(tmpdir(), 'archfit-mutation-'));
execFileSync('sh', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${scratch}"`]);
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
const report = join(scratch, 'vitest-report.json');

interface VitestRun {
  status: number | null;
  failedTests: number;
  /** The failed tests' full names and first failure lines (what caught the mutation). */
  failedNames: string[];
  output: string;
}

interface JsonReport {
  numFailedTests?: number;
  testResults?: Array<{ assertionResults?: Array<{ status: string; fullName: string; failureMessages?: string[] }> }>;
}

function vitest(files: string[], testName?: string): VitestRun {
  rmSync(report, { force: true });
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--project', 'suite', '--reporter=json', `--outputFile=${report}`, ...(testName ? ['-t', testName] : []), ...files],
    { cwd: scratch, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
  );
  const json: JsonReport = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as JsonReport) : {};
  const failedNames = (json.testResults ?? []).flatMap((f) =>
    (f.assertionResults ?? [])
      .filter((a) => a.status === 'failed')
      // The test's name and the first line of why it failed: enough to see it failed for the guard.
      .map((a) => `${a.fullName}\n               ${(a.failureMessages?.[0] ?? '').split('\n')[0]!.slice(0, 160)}`),
  );
  return { status: run.status, failedTests: json.numFailedTests ?? 0, failedNames, output: `${run.stdout}\n${run.stderr}` };
}

/** The file with every edit of the guard applied, or the reason it cannot be. */
function mutate(guard: Guard, original: string): { text: string } | { missing: string } {
  let text = original;
  for (const edit of [{ find: guard.find, replace: guard.replace, count: guard.count }, ...(guard.also ?? [])]) {
    const found = text.split(edit.find).length - 1;
    const wanted = edit.count ?? 1;
    if (found < wanted) return { missing: `${JSON.stringify(edit.find.slice(0, 60))} found ${found}x, expected ${wanted}x` };
    text = wanted === 1 ? text.replace(edit.find, edit.replace) : text.split(edit.find).join(edit.replace);
  }
  return { text };
}

const line = (verdict: string, name: string, detail: string) =>
  process.stdout.write(`${verdict.padEnd(12)} ${name}  [${detail}]  load ${loadavg()[0]!.toFixed(2)}\n`);

const results: Array<{ name: string; verdict: string }> = [];
try {
  if (args.baseline) {
    const files = [...new Set(selected.flatMap((g) => g.tests))];
    const base = vitest(files);
    if (base.status !== 0) {
      process.stdout.write(`${base.output.split('\n').filter((l) => /FAIL|Error|✗|×/.test(l)).slice(0, 40).join('\n')}\n`);
      process.stdout.write(`baseline FAILED: the unmutated tests must pass first (${files.join(', ')})\n`);
      process.exitCode = 1;
      throw new BaselineFailed();
    }
    process.stdout.write(`baseline: ${files.length} test files pass unmutated  load ${loadavg()[0]!.toFixed(2)}\n`);
  }
  for (const guard of selected) {
    const path = join(scratch, guard.file);
    const original = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const mutated = mutate(guard, original);
    if ('missing' in mutated) {
      results.push({ name: guard.name, verdict: 'not applied' });
      line('not applied', guard.name, `${guard.file}: ${mutated.missing}`);
      continue;
    }
    writeFileSync(path, mutated.text);
    const run = vitest(guard.tests, guard.testName);
    writeFileSync(path, original);
    const verdict =
      run.status === 0
        ? 'SURVIVED'
        : run.failedTests > 0
          ? 'caught'
          : run.status === null
            ? 'caught (timed out)'
            : 'errored';
    results.push({ name: guard.name, verdict });
    line(verdict, guard.name, `${guard.tests.join(', ')}${guard.testName ? ` -t "${guard.testName}"` : ''}`);
    for (const name of run.failedNames.slice(0, 2)) process.stdout.write(`             failed: ${name}\n`);
    if (verdict === 'errored') process.stdout.write(`${run.output.split('\n').slice(-30).join('\n')}\n`);
  }
} catch (error) {
  if (!(error instanceof BaselineFailed)) throw error;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (results.length > 0) {
  const caught = results.filter((r) => r.verdict.startsWith('caught')).length;
  process.stdout.write(`mutation check: ${caught}/${results.length} guards caught\n`);
  for (const r of results.filter((r) => !r.verdict.startsWith('caught'))) process.stdout.write(`  ${r.verdict}: ${r.name}\n`);
  process.exitCode = caught === results.length && results.length > 0 ? 0 : 1;
}


/**
 * `npm run test:mutation [-- name-substring]`: breaks each guard of guards.ts in a scratch
 * copy of the committed tree (never in the working tree, which other people share), runs the
 * guard's test files there with vitest and expects them to FAIL. Prints one line per guard:
 * caught, SURVIVED, or not applied; exits 1 unless every guard is caught.
 *
 * Why not Stryker: it needs Node 22+ and mutates by operator, not by named guard; the issue's
 * list is of specific guards (a WHERE condition, a lock clause), and a named text mutation per
 * guard, checked to apply, says exactly which one the suite misses. Fail closed: a mutation
 * whose text is not found counts as a failure, not a skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GUARDS } from './guards.js';

const root = resolve(import.meta.dirname, '../..');
const only = process.argv[2];
const scratch = mkdtempSync(join(tmpdir(), 'archfit-mutation-'));
execFileSync('sh', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${scratch}"`]);
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));

const results: Array<{ name: string; verdict: string }> = [];
try {
  for (const guard of GUARDS.filter((g) => !only || g.name.includes(only))) {
    const path = join(scratch, guard.file);
    const original = readFileSync(path, 'utf8');
    if (!original.includes(guard.find)) {
      results.push({ name: guard.name, verdict: 'not applied (text not found)' });
      continue;
    }
    writeFileSync(path, original.replace(guard.find, guard.replace));
    const run = spawnSync('npx', ['vitest', 'run', '--project', 'suite', ...guard.tests], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 600_000,
    });
    writeFileSync(path, original);
    const verdict = run.status === 0 ? 'SURVIVED' : run.status === null ? 'caught (timed out)' : 'caught';
    results.push({ name: guard.name, verdict });
    process.stdout.write(`${verdict.padEnd(12)} ${guard.name}  [${guard.tests.join(', ')}]  load ${loadavg()[0]!.toFixed(2)}\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const caught = results.filter((r) => r.verdict.startsWith('caught')).length;
process.stdout.write(`mutation check: ${caught}/${results.length} guards caught\n`);
for (const r of results.filter((r) => !r.verdict.startsWith('caught'))) process.stdout.write(`  ${r.verdict}: ${r.name}\n`);
process.exitCode = caught === results.length && results.length > 0 ? 0 : 1;

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRepo } from './generate.js';

/**
 * `archfit site` generation time and site size, side by side: this repository and the
 * synthetic 5,000-file repository (the one bench:fitness checks), each without the cache
 * (first run) and with it (the usual run). Runs the built CLI under GNU time; prints the load
 * average beside every figure because this machine is shared.
 *
 *   npm run build -w fitness && npx tsx fitness/bench/site.ts [--files 5000] [--modules 40]
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const archfitBin = fileURLToPath(new URL('../bin/archfit.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/cli/commands/site.js', import.meta.url)))) {
  console.error('bench: build archfit first (npm run build -w fitness)');
  process.exit(2);
}

function size(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

function run(label: string, root: string, cache: boolean): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'archfit-site-bench-'));
  rmSync(out, { recursive: true });
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, archfitBin, 'site', root, '-o', out, ...(cache ? [] : ['--no-cache'])], { encoding: 'utf8' });
  const [seconds, kb, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  const s = r.status === 0 ? size(out) : { files: 0, bytes: 0 };
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) return `${label.padEnd(34)} exit ${r.status}: ${r.stderr.split('\n')[0]}`;
  return `${label.padEnd(34)} ${String(seconds).padStart(6)} s  cpu ${((user ?? 0) + (sys ?? 0)).toFixed(2).padStart(5)} s  rss ${((kb ?? 0) / 1024).toFixed(0).padStart(4)} MB  ${String(s.files).padStart(4)} files ${(s.bytes / 1024).toFixed(0).padStart(6)} KiB  load ${load}`;
}

const bench = mkdtempSync(path.join(os.tmpdir(), 'archfit-site-repo-'));
const gen = generateRepo({ dir: bench, files: flag('files', 5000), modules: flag('modules', 40) });
console.log(`archfit site: generation time and size (node ${process.version}, ${os.cpus().length} CPUs)`);
console.log(run('this repository, no cache', repoRoot, false));
run('(warming the cache)', repoRoot, true);
console.log(run('this repository, cache warm', repoRoot, true));
console.log(run(`${gen.files}-file benchmark, no cache`, bench, false));
run('(warming the cache)', bench, true);
console.log(run(`${gen.files}-file benchmark, cache warm`, bench, true));
rmSync(bench, { recursive: true, force: true });

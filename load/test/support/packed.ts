import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Packs a workspace the way `npm publish` would and returns the tarball's path. `scripts`
 * false skips prepack (archfit's dist is built by `npm run build` before the suite, and
 * rebuilding it here would race other test files importing it).
 */
export async function packWorkspace(dir: string, dest: string, opts: { scripts: boolean }): Promise<string> {
  await mkdir(dest, { recursive: true });
  const before = new Set(await readdir(dest));
  const args = ['pack', '--pack-destination', dest, '--json', ...(opts.scripts ? [] : ['--ignore-scripts'])];
  const { stdout } = await run('npm', args, { cwd: dir, maxBuffer: 32 * 1024 * 1024, timeout: 240_000 });
  const json = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
  const file = json[0]!.filename.replace(/^@/, '').replace('/', '-');
  const made = (await readdir(dest)).find((f) => !before.has(f) && f.endsWith('.tgz')) ?? file;
  return path.join(dest, made);
}

/** Installs tarballs (and registry packages, from npm's cache when it has them) into a scratch project. */
export async function installInto(project: string, specs: string[]): Promise<void> {
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: project, maxBuffer: 32 * 1024 * 1024, timeout: 480_000 });
}

import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintAdrs, STABLE_RULE_IDS, type AdrLintResult } from '../../src/adr/index.js';
import { main } from '../../src/cli/main.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Lints one fixture collection (`fixtures/<name>/adr`, scenarios in `fixtures/<name>/load/scenarios`). */
export function lintFixture(name: string): Promise<AdrLintResult> {
  return lintAdrs({ root: path.join(FIXTURES, name), dir: 'adr', scenariosDir: 'load/scenarios', ruleIds: STABLE_RULE_IDS });
}

/** A writable copy of a fixture collection in a temp directory. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `archfit-adr-${name}-`));
  await cp(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Runs the CLI in-process, capturing what it prints. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'archfit', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

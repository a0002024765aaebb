import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../bench/generate.js';
import { loadConfig } from '../../src/index.js';
import { buildGraph } from '../../src/graph/build.js';
import { runOracle, type OracleResult } from '../support/oracle.js';
import { fixturesDir } from '../support/tmp-repo.js';

/**
 * Issue 10 item 3: the TypeScript compiler, asked about every import archfit found (see
 * support/oracle.ts), agrees 100% on every rule fixture and on the generated benchmark
 * repositories. The counts are printed so the closing note can quote them.
 */
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function check(root: string): Promise<OracleResult> {
  const { graph } = await buildGraph(await loadConfig(root, { cache: false }), { cache: false });
  const result = await runOracle(root, graph);
  console.log(`oracle ${path.basename(root)}: ${result.agree}/${result.imports} imports agree, ${result.unmatched.length} unmatched`);
  expect(result.disagreements).toEqual([]);
  expect(result.unmatched).toEqual([]);
  expect(result.agree).toBe(result.imports);
  return result;
}

const fixtures = readdirSync(fixturesDir).filter((d) => readdirSync(path.join(fixturesDir, d)).some((f) => f.startsWith('archfit.config.')));

describe('the TypeScript oracle agrees with archfit on every import', () => {
  it.each(fixtures)('fixture %s', async (name) => {
    await check(path.join(fixturesDir, name));
  });

  it('the generated benchmark repository (NodeNext ESM, tsconfig paths)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'archfit-oracle-'));
    scratch.push(dir);
    generateRepo({ dir, modules: 12, files: 1200 });
    const result = await check(dir);
    expect(result.imports).toBeGreaterThan(1000);
  }, 120_000);

  // The workspace-shaped benchmark case (Node16 CommonJS and NodeNext packages, exports maps).
  const workspaces = new URL('../../bench/generate-workspaces.ts', import.meta.url);
  it.runIf(existsSync(workspaces))('the generated workspace benchmark repository', async () => {
    const { generateWorkspaceRepo } = (await import(workspaces.href)) as typeof import('../../bench/generate-workspaces.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'archfit-oracle-ws-'));
    scratch.push(dir);
    generateWorkspaceRepo({ dir, modules: 12, files: 1200 });
    const result = await check(dir);
    expect(result.imports).toBeGreaterThan(500);
  }, 120_000);
});

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { buildGraph } from '../../src/graph/build.js';
import { runOracle } from '../support/oracle.js';
import { fixturesDir, makeRepo } from '../support/tmp-repo.js';

/**
 * `resolution-mode` is honoured where TypeScript honours it: a lone
 * `with { 'resolution-mode': 'import' | 'require' }` on `import type`, `export type … from`
 * and `import()` types, and `resolution-mode` on `/// <reference types>`.
 */
const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));

describe('resolution-mode', () => {
  it('import attributes pick the export condition, as ts.getModeForUsageLocation does', async () => {
    const root = path.join(fixturesDir, 'resolution-mode');
    const { graph } = await buildGraph(await loadConfig(root), { cache: false });
    const to = (file: string) => graph.outgoing.get(file)!.map((e) => [e.line, e.to, e.mode]);
    expect(to('src/modules/app/index.ts')).toEqual([
      [2, 'libs/dual/src/esm.ts', 'import'],
      [3, 'libs/dual/src/cjs.ts', 'require'],
      [4, 'libs/dual/src/cjs.ts', 'require'],
      [5, 'libs/dual/src/cjs.ts', 'require'],
      // Inline `type` specifiers do not make the declaration type-only: the attribute is ignored.
      [7, 'libs/dual/src/esm.ts', 'import'],
    ]);
    expect(to('src/modules/legacy/cjs.cts')).toEqual([
      [2, 'libs/dual/src/cjs.ts', 'require'],
      [3, 'libs/dual/src/esm.ts', 'import'],
    ]);
    const oracle = await runOracle(root, graph);
    expect(oracle.disagreements).toEqual([]);
    expect(oracle.agree).toBe(8);
  });

  it('a /// <reference types> with resolution-mode brings in the declarations of that condition', async () => {
    const dual = (mode: string) => `declare module 'virtual:${mode}' {\n  export const mode: '${mode}';\n}\n`;
    const repo = makeRepo({
      'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/modules/*' }] }),
      'package.json': JSON.stringify({ name: 'refs', type: 'module' }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', types: [] }, include: ['src'] }),
      'node_modules/envtypes/package.json': JSON.stringify({ name: 'envtypes', exports: { '.': { import: { types: './esm.d.ts' }, require: { types: './cjs.d.ts' } } } }),
      'node_modules/envtypes/esm.d.ts': dual('esm'),
      'node_modules/envtypes/cjs.d.ts': dual('cjs'),
      'node_modules/reftypes/package.json': JSON.stringify({ name: 'reftypes', exports: { '.': { import: { types: './esm.d.ts' }, require: { types: './cjs.d.ts' } } } }),
      'node_modules/reftypes/esm.d.ts': dual('ref-esm'),
      'node_modules/reftypes/cjs.d.ts': dual('ref-cjs'),
      'src/env.d.ts': '/// <reference types="envtypes" resolution-mode="require" />\n/// <reference types="reftypes" />\n',
      'src/modules/app/index.ts': "import { mode } from 'virtual:cjs';\nimport { mode as other } from 'virtual:esm';\nimport { mode as third } from 'virtual:ref-esm';\nimport { mode as fourth } from 'virtual:ref-cjs';\nexport const all = [mode, other, third, fourth];\n",
    });
    repos.push(repo);
    const { graph } = await buildGraph(await loadConfig(repo.root), { cache: false });
    expect(graph.outgoing.get('src/modules/app/index.ts')!.map((e) => [e.specifier, e.resolution])).toEqual([
      ['virtual:cjs', 'ambient'],
      ['virtual:esm', 'unresolved'],
      // No resolution-mode: the mode of env.d.ts, an ES module under "type": "module".
      ['virtual:ref-esm', 'ambient'],
      ['virtual:ref-cjs', 'unresolved'],
    ]);
    const oracle = await runOracle(repo.root, graph);
    expect(oracle.disagreements).toEqual([]);
    expect(oracle.agree).toBe(4);
  });
});

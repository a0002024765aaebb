import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { buildGraph } from '../../src/graph/build.js';
import { runCheck } from '../../src/rules/run.js';
import { runOracle } from '../support/oracle.js';
import { fixturesDir, makeRepo } from '../support/tmp-repo.js';

/**
 * Asset imports resolve as TypeScript resolves them: a specifier no file answers is taken by
 * an ambient module declaration the program sees (`declare module '*.svg'`, `'*?url'`,
 * `'virtual:x'`, from the project's .d.ts files, type packages and their references); a
 * side-effect import of an existing file is an asset; anything else stays unresolved.
 */
const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));

describe('ambient module declarations and assets', () => {
  const root = path.join(fixturesDir, 'ambient-modules');

  it('resolves each asset import the way the compiler does, and only the truly unresolvable ones are findings', async () => {
    const { graph } = await buildGraph(await loadConfig(root), { cache: false });
    const edges = graph.outgoing.get('src/modules/app/index.ts')!.map((e) => [e.specifier, e.resolution, e.ambient ?? e.via ?? e.to ?? e.unresolvedAs]);
    expect(edges).toEqual([
      ['./global.css', 'relative', 'asset'],
      ['./button.module.css', 'ambient', '*.module.css'],
      ['./logo.svg', 'ambient', '*.svg'],
      ['./logo.svg?url', 'ambient', '*?url'],
      ['./notes.txt?raw', 'ambient', '*?raw'],
      ['virtual:pwa-register', 'ambient', 'virtual:pwa-register'],
      // The file exists, but only a module augmentation names '*.png': TypeScript cannot find it.
      ['./photo.png', 'unresolved', 'relative'],
      ['./missing.css', 'unresolved', 'relative'],
      ['./page.js', 'relative', 'src/modules/app/page.ts'],
    ]);
    const oracle = await runOracle(root, graph);
    expect(oracle.disagreements).toEqual([]);
    expect(oracle.agree).toBe(9);

    const result = await runCheck({ root, cache: false, noBaseline: true, only: ['unresolved-import'] });
    expect(result.violations.map((v) => `${v.line}:${v.column}`)).toEqual(['7:19', '8:8']);
    expect(result.stats.imports.ambient).toEqual({ resolved: 5, unresolved: 0 });
  });

  it('when a type package the tsconfig names is not installed, an existing asset is an asset edge, a missing one a finding', async () => {
    const repo = makeRepo({
      'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/modules/*' }] }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', types: ['vite/client'] }, include: ['src'] }),
      'src/modules/app/index.ts': "import logo from './logo.svg';\nimport url from './logo.svg?url';\nimport gone from './gone.svg';\nimport { registerSW } from 'virtual:pwa-register';\nexport const all = [logo, url, gone, registerSW];\n",
      'src/modules/app/logo.svg': '<svg/>',
    });
    repos.push(repo);
    const result = await runCheck({ root: repo.root, cache: false, noBaseline: true, only: ['unresolved-import'] });
    const edges = result.graph.outgoing.get('src/modules/app/index.ts')!.map((e) => [e.specifier, e.resolution, e.via ?? e.unresolvedAs]);
    expect(edges).toEqual([
      ['./logo.svg', 'relative', 'asset'],
      ['./logo.svg?url', 'relative', 'asset'],
      ['./gone.svg', 'unresolved', 'relative'],
      ['virtual:pwa-register', 'unresolved', 'alias'],
    ]);
    expect(result.violations.map((v) => v.line)).toEqual([3, 4]);
    // The finding says why it may not be a real one: the declarations could be in the package not installed.
    expect(result.violations[1]!.message).toContain('type packages that are not installed, whose declarations may cover it: vite/client');
  });
});

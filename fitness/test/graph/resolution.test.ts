import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { buildGraph } from '../../src/graph/build.js';
import { makeRepo } from '../support/tmp-repo.js';

const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));

describe('resolution', () => {
  it('each file uses its nearest tsconfig: the same alias means different folders per workspace', async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }),
      'apps/web/package.json': JSON.stringify({ name: '@mono/web' }),
      'apps/web/tsconfig.json': JSON.stringify({ compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext', paths: { '@/*': ['./src/*'] } } }),
      'apps/web/src/main.ts': "import { page } from '@/page.js';\nimport { money } from '@mono/money';\nimport type { Cents } from '@mono/money/src/cents.js';\nexport const x = [page, money] as Cents[];\n",
      'apps/web/src/page.ts': 'export const page = 1;\n',
      'apps/api/package.json': JSON.stringify({ name: '@mono/api' }),
      'apps/api/tsconfig.json': JSON.stringify({ compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext', paths: { '@/*': ['./lib/*'] } } }),
      'apps/api/lib/page.ts': "import { readFile } from 'node:fs/promises';\nimport fastify from 'fastify';\nexport const page = [readFile, fastify];\n",
      'apps/api/lib/server.ts': "import { page } from '@/page.js';\nexport const server = page;\n",
      'libs/money/package.json': JSON.stringify({ name: '@mono/money', exports: { '.': './dist/index.js' } }),
      'libs/money/src/index.ts': "export { money } from './money.js';\n",
      'libs/money/src/money.ts': 'export const money = 2;\n',
      'libs/money/src/cents.ts': 'export type Cents = number;\n',
      'archfit.config.json': JSON.stringify({ modules: [{ glob: 'libs/*', publicEntries: ['src/index.ts'] }, { glob: 'apps/*', publicEntries: ['package.json'] }] }),
    });
    repos.push(repo);
    const config = await loadConfig(repo.root);
    // No list in the config: each file's tsconfig is found the way TypeScript finds it.
    expect(config.tsconfig).toEqual([]);
    const { graph } = await buildGraph(config, { cache: false });
    const edges = (file: string) => graph.outgoing.get(file)!.map((e) => [e.specifier, e.to ?? e.external, e.resolution, e.typeOnly]);
    expect(edges('apps/web/src/main.ts')).toEqual([
      ['@/page.js', 'apps/web/src/page.ts', 'alias', false],
      // The package's exports point at an unbuilt dist/: its source is what the graph needs.
      ['@mono/money', 'libs/money/src/index.ts', 'workspace', false],
      // Its exports map has only ".": TypeScript refuses the deep import, and so does archfit.
      ['@mono/money/src/cents.js', undefined, 'unresolved', true],
    ]);
    expect(graph.resolution.get('apps/web/src/main.ts')).toEqual({ tsconfig: 'apps/web/tsconfig.json', how: 'includes' });
    expect(edges('apps/api/lib/server.ts')).toEqual([['@/page.js', 'apps/api/lib/page.ts', 'alias', false]]);
    expect(edges('apps/api/lib/page.ts')).toEqual([
      ['node:fs/promises', 'node:fs/promises', 'builtin', false],
      // Not installed in this scratch repository: an unresolved package, still named.
      ['fastify', 'fastify', 'unresolved', false],
    ]);
  });

  it('a pnpm workspace (pnpm-workspace.yaml, no workspaces in package.json) names its packages too', async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'mono', private: true }),
      'pnpm-workspace.yaml': "packages:\n  - 'libs/*'\n  - '!libs/skip'\n",
      'tsconfig.json': JSON.stringify({ compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext' } }),
      'libs/money/package.json': JSON.stringify({ name: '@mono/money', exports: { '.': './src/index.ts' } }),
      'libs/money/src/index.ts': 'export const money = 2;\n',
      'libs/shop/package.json': JSON.stringify({ name: '@mono/shop' }),
      'libs/shop/src/index.ts': "import { money } from '@mono/money';\nexport const shop = money;\n",
      'archfit.config.json': JSON.stringify({ modules: [{ glob: 'libs/*', publicEntries: ['src/index.ts'] }] }),
    });
    repos.push(repo);
    const { graph } = await buildGraph(await loadConfig(repo.root), { cache: false });
    expect(graph.outgoing.get('libs/shop/src/index.ts')!.map((e) => [e.to, e.resolution])).toEqual([['libs/money/src/index.ts', 'workspace']]);
  });

  it('a negated workspace pattern excludes that folder: its name is not a workspace package', async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['libs/*', '!libs/legacy'] }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { moduleResolution: 'Bundler', module: 'ESNext' } }),
      'libs/money/package.json': JSON.stringify({ name: '@mono/money', exports: { '.': './src/index.ts' } }),
      'libs/money/src/index.ts': 'export const money = 2;\n',
      'libs/legacy/package.json': JSON.stringify({ name: '@mono/legacy', exports: { '.': './src/index.ts' } }),
      'libs/legacy/src/index.ts': 'export const old = 1;\n',
      'libs/shop/package.json': JSON.stringify({ name: '@mono/shop' }),
      'libs/shop/src/index.ts': "import { money } from '@mono/money';\nimport { old } from '@mono/legacy';\nexport const shop = [money, old];\n",
      'archfit.config.json': JSON.stringify({ modules: [{ glob: 'libs/*', publicEntries: ['src/index.ts'] }] }),
    });
    repos.push(repo);
    const { graph } = await buildGraph(await loadConfig(repo.root, { cache: false }), { cache: false });
    // Not a workspace (and not installed): TypeScript cannot resolve it, so neither does archfit.
    expect(graph.outgoing.get('libs/shop/src/index.ts')!.map((e) => [e.specifier, e.resolution])).toEqual([
      ['@mono/money', 'workspace'],
      ['@mono/legacy', 'unresolved'],
    ]);
  });
});

describe('what is scanned', () => {
  it('archfit config files are configuration, never scanned as module code (default include)', async () => {
    const repo = makeRepo({
      'archfit.config.ts': "import { readdirSync } from 'node:fs';\nexport default { modules: [{ glob: 'src/modules/*' }], tags: { orders: [String(readdirSync('.').length > 0)] } };\n",
      'packages/tool/archfit.config.mts': 'export default { modules: [] };\n',
      'packages/tool/index.ts': 'export const tool = 1;\n',
      'src/modules/orders/index.ts': 'export const orders = 1;\n',
    });
    repos.push(repo);
    const { graph } = await buildGraph(await loadConfig(repo.root), { cache: false });
    expect([...graph.files.keys()]).toEqual(['packages/tool/index.ts', 'src/modules/orders/index.ts']);
  });
});

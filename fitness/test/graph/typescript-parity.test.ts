import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { buildGraph } from '../../src/graph/build.js';
import { runCheck } from '../../src/rules/run.js';
import { makeRepo } from '../support/tmp-repo.js';

/** One test per defect of issue 10's "What was seen" (resolution and fail-closed half). */
const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));
const repo = (files: Record<string, string>) => {
  const r = makeRepo(files);
  repos.push(r);
  return r;
};
const json = (x: unknown) => JSON.stringify(x);
const found = (r: Awaited<ReturnType<typeof runCheck>>) => r.violations.map((v) => `${v.rule} ${v.file}:${v.line}`);

describe('resolution follows the file, as TypeScript does', () => {
  it("the issue's minimal repro: Node16 without \"type\" is CommonJS, so an extensionless deep import resolves and is one module-boundary error", async () => {
    const r = repo({
      'tsconfig.json': json({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16' } }),
      'package.json': json({ name: 'repro' }),
      'archfit.config.json': json({ modules: [{ glob: 'src/modules/*' }], dependencies: { b: ['a'] } }),
      'src/modules/a/index.ts': "export { x } from './internal';\n",
      'src/modules/a/internal.ts': 'export const x = 1;\n',
      'src/modules/b/index.ts': "import { x } from '../a/internal';\nexport const y = x;\n",
    });
    const result = await runCheck({ root: r.root, cache: false, noBaseline: true });
    expect(found(result)).toEqual(['module-boundary src/modules/b/index.ts:1']);
    expect(result.graph.resolution.get('src/modules/b/index.ts')).toEqual({ tsconfig: 'tsconfig.json', how: 'includes', format: 'cjs' });
    expect(result.graph.outgoing.get('src/modules/b/index.ts')![0]).toMatchObject({ to: 'src/modules/a/internal.ts', mode: 'require' });
  });

  it('the same import in an ESM package ("type": "module") is unresolved under Node16, and that is an error, not a pass', async () => {
    const r = repo({
      'tsconfig.json': json({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16' } }),
      'package.json': json({ name: 'repro', type: 'module' }),
      'archfit.config.json': json({ modules: [{ glob: 'src/modules/*' }], dependencies: { b: ['a'] } }),
      'src/modules/a/index.ts': "export { x } from './internal.js';\n",
      'src/modules/a/internal.ts': 'export const x = 1;\n',
      // .cts is CommonJS whatever package.json says: this one resolves.
      'src/modules/b/legacy.cts': "import { x } from '../a/internal';\nexport const z = x;\n",
      'src/modules/b/index.ts': "import { x } from '../a/internal';\nexport const y = x;\n",
    });
    const result = await runCheck({ root: r.root, cache: false, noBaseline: true });
    expect(found(result).sort()).toEqual(['module-boundary src/modules/b/legacy.cts:1', 'unresolved-import src/modules/b/index.ts:1']);
    expect(result.stats.imports.relative).toEqual({ resolved: 2, unresolved: 1 });
  });

  it('tsconfigs at any depth, solution-style roots with references, extends through a workspace package, include honoured', async () => {
    const r = repo({
      'package.json': json({ name: 'mono', private: true, workspaces: ['tools/*', 'apps/group/*'] }),
      // A solution-style root: it governs nothing itself.
      'tsconfig.json': json({ files: [], references: [{ path: './apps/group/web' }] }),
      'tools/tsconfig/package.json': json({ name: '@mono/tsconfig', exports: { './base.json': './base.json' } }),
      'tools/tsconfig/base.json': json({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }),
      'tools/tsconfig/index.ts': 'export {};\n',
      // Three levels down, solution-style again, with an app and a spec project.
      'apps/group/web/package.json': json({ name: '@mono/web' }),
      'apps/group/web/tsconfig.json': json({ files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.spec.json' }] }),
      'apps/group/web/tsconfig.app.json': json({ extends: '@mono/tsconfig/base.json', compilerOptions: { paths: { '#app/*': ['./src/*'] } }, include: ['src/**/*.ts'], exclude: ['src/**/*.check.ts'] }),
      'apps/group/web/tsconfig.spec.json': json({ extends: '@mono/tsconfig/base.json', compilerOptions: { paths: { '#app/*': ['./fake/*'] } }, include: ['src/**/*.check.ts'] }),
      'apps/group/web/src/main.ts': "import { page } from '#app/page.js';\nexport const x = page;\n",
      'apps/group/web/src/page.ts': 'export const page = 1;\n',
      'apps/group/web/src/page.check.ts': "import { page } from '#app/page.js';\nexport const y = page;\n",
      'apps/group/web/fake/page.ts': 'export const page = 2;\n',
      'archfit.config.json': json({ include: ['apps/**/*.ts', 'tools/**/*.ts'], modules: [{ glob: 'apps/group/*', publicEntries: ['src/main.ts'] }] }),
    });
    const config = await loadConfig(r.root);
    const { graph, stats } = await buildGraph(config, { cache: false });
    expect(graph.resolution.get('apps/group/web/src/main.ts')).toEqual({ tsconfig: 'apps/group/web/tsconfig.app.json', how: 'reference' });
    expect(graph.outgoing.get('apps/group/web/src/main.ts')![0]).toMatchObject({ to: 'apps/group/web/src/page.ts', resolution: 'alias' });
    // The app project excludes *.check.ts; the spec project includes it, with its own paths.
    expect(graph.resolution.get('apps/group/web/src/page.check.ts')).toEqual({ tsconfig: 'apps/group/web/tsconfig.spec.json', how: 'reference' });
    expect(graph.outgoing.get('apps/group/web/src/page.check.ts')![0]).toMatchObject({ to: 'apps/group/web/fake/page.ts', resolution: 'alias' });
    expect(stats.imports.alias).toEqual({ resolved: 2, unresolved: 0 });
    expect(graph.tsconfigProblems).toEqual([]);
  });

  it('a missing extends target is a finding on the tsconfig, and the alias it would have given is an unresolved-import error', async () => {
    const r = repo({
      'tsconfig.json': json({ extends: './tsconfig.base.json', compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }),
      'archfit.config.json': json({ modules: [{ glob: 'src/modules/*' }] }),
      'src/modules/a/index.ts': "import { b } from '@/modules/a/b';\nexport const a = b;\n",
      'src/modules/a/b.ts': 'export const b = 1;\n',
    });
    const result = await runCheck({ root: r.root, cache: false, noBaseline: true });
    expect(found(result)).toEqual(['unresolved-import src/modules/a/index.ts:1', 'unresolved-import tsconfig.json:1']);
    expect(result.exitCode).toBe(1);
  });

  it('workspace packages resolve through exports with conditions to source, subpaths included; a deep import into dist is seen', async () => {
    const r = repo({
      'package.json': json({ name: 'mono', private: true, workspaces: ['packages/*', 'apps/*'] }),
      'tsconfig.json': json({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'packages/framework/package.json': json({
        name: '@scope/framework',
        type: 'module',
        exports: {
          '.': { types: './dist/index.d.ts', import: './dist/index.js' },
          './utils': { import: { types: './dist/utils/index.d.ts', default: './dist/utils/index.js' }, require: { types: './dist/cjs/utils.d.cts', default: './dist/cjs/utils.cjs' } },
        },
      }),
      'packages/framework/tsconfig.json': json({ extends: '../../tsconfig.json', compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
      'packages/framework/src/index.ts': 'export const f = 1;\n',
      'packages/framework/src/utils/index.ts': 'export const u = 1;\n',
      'packages/tax/package.json': json({ name: '@scope/tax', type: 'module', main: './dist/index.js', types: './dist/index.d.ts' }),
      'packages/tax/src/index.ts': 'export const t = 1;\n',
      'packages/tax/src/services/index.ts': 'export const s = 1;\n',
      'apps/shop/package.json': json({ name: '@scope/shop', type: 'module' }),
      'apps/shop/src/main.ts': [
        "import { f } from '@scope/framework';",
        "import { u } from '@scope/framework/utils';",
        "import { t } from '@scope/tax';",
        "import { s } from '@scope/tax/dist/services/index.js';",
        "import { nope } from '@scope/framework/internal';",
        'export const all = [f, u, t, s, nope];',
        '',
      ].join('\n'),
      'archfit.config.json': json({
        include: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
        modules: [{ name: 'framework', root: 'packages/framework', publicEntries: ['src/index.ts', 'src/utils/index.ts'] }, { name: 'tax', root: 'packages/tax', publicEntries: ['src/index.ts'] }, { name: 'shop', root: 'apps/shop', publicEntries: ['src/main.ts'] }],
        dependencies: { shop: ['framework', 'tax'] },
      }),
    });
    const result = await runCheck({ root: r.root, cache: false, noBaseline: true });
    const edges = result.graph.outgoing.get('apps/shop/src/main.ts')!.map((e) => [e.specifier, e.to ?? e.unresolvedAs, e.resolution, e.via]);
    expect(edges).toEqual([
      ['@scope/framework', 'packages/framework/src/index.ts', 'workspace', 'output'],
      ['@scope/framework/utils', 'packages/framework/src/utils/index.ts', 'workspace', 'output'],
      ['@scope/tax', 'packages/tax/src/index.ts', 'workspace', 'output'],
      ['@scope/tax/dist/services/index.js', 'packages/tax/src/services/index.ts', 'workspace', 'output'],
      ['@scope/framework/internal', 'workspace', 'unresolved', undefined],
    ]);
    expect(found(result)).toEqual(['module-boundary apps/shop/src/main.ts:4', 'unresolved-import apps/shop/src/main.ts:5']);
  });

  it('alias-shaped and workspace-named specifiers that do not resolve are never packages', async () => {
    const r = repo({
      'package.json': json({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/core/package.json': json({ name: '@mono/core', exports: { '.': './src/index.ts' } }),
      'packages/core/src/index.ts': [
        "import '~';",
        "import '~/x';",
        "import '@/x';",
        "import '@models';",
        "import '@mono/core/missing';",
        "import '@mono/gone';",
        "import 'left-pad';",
        'export {};',
        '',
      ].join('\n'),
      'packages/core/tsconfig.json': json({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', paths: { '@mono/gone': ['./nowhere'] } } }),
      'archfit.config.json': json({ include: ['packages/*/src/**/*.ts'], modules: [{ glob: 'packages/*', publicEntries: ['src/index.ts'] }] }),
    });
    const { graph, stats } = await buildGraph(await loadConfig(r.root), { cache: false });
    expect(graph.edges.map((e) => [e.specifier, e.resolution, e.unresolvedAs, e.external])).toEqual([
      ['~', 'unresolved', 'alias', undefined],
      ['~/x', 'unresolved', 'alias', undefined],
      ['@/x', 'unresolved', 'alias', undefined],
      ['@models', 'unresolved', 'alias', undefined],
      ['@mono/core/missing', 'unresolved', 'workspace', undefined],
      ['@mono/gone', 'unresolved', 'alias', undefined],
      ['left-pad', 'unresolved', 'package', 'left-pad'],
    ]);
    expect(stats.imports).toMatchObject({ alias: { resolved: 0, unresolved: 5 }, workspace: { resolved: 0, unresolved: 1 }, package: { resolved: 0, unresolved: 1 } });
  });

  it('a dangling symlink (an editor lock file) is skipped with a warning, not a crash', async () => {
    const r = repo({
      'archfit.config.json': json({ modules: [{ glob: 'src/modules/*' }] }),
      'src/modules/a/index.ts': 'export const a = 1;\n',
    });
    symlinkSync('user@host.1234:1700000000', path.join(r.root, 'src/modules/a/.#index.ts'));
    const result = await runCheck({ root: r.root, cache: false, noBaseline: true });
    expect(result.graph.skipped).toEqual([{ file: 'src/modules/a/.#index.ts', reason: 'ENOENT' }]);
    expect(result.stats.skipped).toBe(1);
    expect(result.exitCode).toBe(0);
  });
});

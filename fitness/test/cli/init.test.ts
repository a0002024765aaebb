import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inferModuleMap } from '../../src/init/infer.js';
import { makeRepo } from '../support/tmp-repo.js';

/** The built CLI, as users run it (`npm run build` first; `npm test` does). */
const bin = fileURLToPath(new URL('../../bin/archfit.js', import.meta.url));
const run = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const repos: { cleanup(): void }[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));
const repo = (files: Record<string, string>) => {
  const r = makeRepo({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
  repos.push(r);
  return r;
};
const pkg = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name, version: '1.0.0', ...extra });

/** npm workspaces: web imports core without declaring it, api reaches into core's internals. */
const WORKSPACES = {
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
  'packages/core/package.json': pkg('@acme/core', { exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
  'packages/core/src/index.ts': "export { price } from './internal.js';\n",
  'packages/core/src/internal.ts': 'export const price = 1;\n',
  'packages/api/package.json': pkg('@acme/api', { dependencies: { '@acme/core': '*' }, main: './dist/index.js' }),
  'packages/api/src/index.ts': "import { price } from '../../core/src/internal.js';\nexport const api = price;\n",
  'packages/web/package.json': pkg('@acme/web', { main: './dist/index.js' }),
  'packages/web/src/index.ts': "import { price } from '../../core/src/index.js';\nexport const web = price;\n",
};

// Each case spawns init (two checks) and more; on a loaded 2-core machine that can pass 60 s.
describe('archfit init', { timeout: 300_000 }, () => {
  it('maps npm workspaces to modules with their package.json dependencies, runs a first check and records the baseline', () => {
    const r = repo(WORKSPACES);
    const init = run(r.root, 'init');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const config = readFileSync(path.join(r.root, 'archfit.config.ts'), 'utf8');
    expect(config).toContain("// workspace package @acme/core\n    { name: 'core', root: 'packages/core', publicEntries: ['src/index.ts'] },");
    expect(config).toContain("'api': ['core'], // declared: core");
    // web imports core without a package.json dependency: allowed as observed, and said so.
    expect(config).toContain("'web': ['core'], // observed: core");
    expect(init.stdout).toContain('(web -> core: workspace packages imported without a package.json dependency)');
    // Four package files and the config itself (a .ts file under the default include).
    // The four sources; the archfit.config.ts init wrote is configuration, not module code.
    expect(init.stdout).toContain('first check: 4 files');
    expect(init.stdout).toContain('1 violation (module-boundary 1)');
    expect(init.stdout).toContain('packages/api/src/index.ts:1:23  [module-boundary]');
    const baseline = JSON.parse(readFileSync(path.join(r.root, 'archfit-baseline.json'), 'utf8'));
    expect(baseline.entries).toHaveLength(1);
    // The recorded debt is known: the next check passes, and a new deep import fails it.
    expect(run(r.root, 'check').code).toBe(0);
    r.write('packages/web/src/more.ts', "import { price } from '../../core/src/internal.js';\nexport const more = price;\n");
    const after = run(r.root, 'check');
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('packages/web/src/more.ts:1:23');
  });

  it('refuses to replace an existing config with exit 3 and leaves it untouched; --force replaces it', () => {
    const r = repo({ ...WORKSPACES, 'archfit.config.json': '{"modules":[]}' });
    const refused = run(r.root, 'init');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('archfit.config.json already exists');
    expect(readFileSync(path.join(r.root, 'archfit.config.json'), 'utf8')).toBe('{"modules":[]}');
    expect(existsSync(path.join(r.root, 'archfit.config.ts'))).toBe(false);
    r.write('archfit.config.json', '');
    const forced = run(r.root, 'init', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(path.join(r.root, 'archfit.config.ts'))).toBe(true);
  });

  it('writes nothing and exits 2 when it finds no module, saying what it looked for', () => {
    const r = repo({ 'package.json': pkg('flat'), 'src/a.ts': 'export const a = 1;\n' });
    const res = run(r.root, 'init');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('found no modules');
    expect(res.stderr).toContain('workspaces, tsconfig paths aliases or folders whose children have an index.ts');
    expect(existsSync(path.join(r.root, 'archfit.config.ts'))).toBe(false);
  });

  it('maps index folders, takes today\'s module imports as allowed and reports deep imports and cycles', () => {
    const r = repo({
      'package.json': pkg('app', { type: 'module' }),
      'src/modules/a/index.ts': 'export const a = 1;\n',
      'src/modules/a/internal.ts': 'export const ai = 1;\n',
      'src/modules/b/index.ts': "import { ai } from '../a/internal.js';\nimport { c } from '../c/index.js';\nexport const b = ai + c;\n",
      'src/modules/c/index.ts': "import { b } from '../b/index.js';\nexport const c = 1;\nexport const cb = () => b;\n",
      'test/fixtures/x/index.ts': 'export const ignored = 1;\n',
      'test/fixtures/y/index.ts': 'export const ignored = 1;\n',
    });
    const res = run(r.root, 'init');
    expect(res.code, res.stderr).toBe(0);
    const config = readFileSync(path.join(r.root, 'archfit.config.ts'), 'utf8');
    expect(config).toContain("{ name: 'a', root: 'src/modules/a', publicEntries: ['index.ts'] },");
    expect(config).not.toContain('fixtures');
    expect(config).toContain("'b': ['a', 'c'], // observed: a, c");
    expect(config).toContain("'c': ['b'], // observed: b");
    expect(res.stdout).toContain('2 violations (module-boundary 1, no-module-cycle 1)');
  });

  it('takes every exported subpath as a public entry and exempts packages that export a wildcard subpath', () => {
    const r = repo({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
      'packages/ui/package.json': pkg('@acme/ui', { type: 'module', exports: { '.': './src/index.ts', './button': './src/button.tsx' } }),
      'packages/ui/src/index.ts': 'export const ui = 1;\n',
      'packages/ui/src/button.tsx': 'export const button = 1;\n',
      'packages/ui/src/internal.ts': 'export const internal = 1;\n',
      'packages/kit/package.json': pkg('@acme/kit', { type: 'module', exports: { '.': './src/index.ts', './*': './src/*.ts' } }),
      'packages/kit/src/index.ts': 'export const kit = 1;\n',
      'packages/kit/src/deep.ts': 'export const deep = 1;\n',
      'packages/app/package.json': pkg('@acme/app', { type: 'module', dependencies: { '@acme/ui': '*', '@acme/kit': '*' } }),
      'packages/app/src/index.ts':
        "import { button } from '../../ui/src/button.js';\nimport { internal } from '../../ui/src/internal.js';\nimport { deep } from '../../kit/src/deep.js';\nexport const app = [button, internal, deep];\n",
    });
    const res = run(r.root, 'init');
    expect(res.code, res.stderr).toBe(0);
    const config = readFileSync(path.join(r.root, 'archfit.config.ts'), 'utf8');
    expect(config).toContain("{ name: 'ui', root: 'packages/ui', publicEntries: ['src/index.ts', 'src/button.tsx'] },");
    expect(config).toContain("{ rule: 'module-boundary', file: '**', to: 'kit', reason: \"packages/kit/package.json exports a wildcard subpath: every file it maps is public API\" },");
    // Only the import of a file ui does not export is a violation.
    expect(res.stdout).toContain('1 violation (module-boundary 1)');
    expect(res.stdout).toContain('packages/app/src/index.ts:2:26  [module-boundary]');
  });

  it('maps tsconfig paths aliases, Nx projects with their tags and Sheriff module patterns', async () => {
    const paths = repo({
      'tsconfig.json': '{\n  // comments are allowed\n  "compilerOptions": { "baseUrl": ".", "paths": { "@orders": ["src/features/orders/index.ts"], "@billing/*": ["src/features/billing/*"], "@/*": ["src/*"] } },\n}\n',
      'src/features/orders/index.ts': 'export const o = 1;\n',
      'src/features/billing/index.ts': 'export const b = 1;\n',
    });
    const fromPaths = await inferModuleMap(paths.root);
    expect(fromPaths.modules.map((m) => `${m.name} ${m.root} ${m.publicEntries.join()}`)).toEqual(['orders src/features/orders index.ts']);

    const nx = repo({
      'nx.json': '{}',
      'libs/cart/project.json': JSON.stringify({ name: 'cart', tags: ['scope:shop', 'type:feature'] }),
      'libs/cart/src/index.ts': 'export const cart = 1;\n',
      'libs/ui/project.json': JSON.stringify({ name: 'ui', tags: ['type:ui'] }),
      'libs/ui/src/index.ts': 'export const ui = 1;\n',
    });
    const fromNx = await inferModuleMap(nx.root);
    expect(fromNx.modules.map((m) => `${m.name} ${m.root} ${m.publicEntries.join()} ${m.tags?.join('+')}`)).toEqual([
      'cart libs/cart src/index.ts scope:shop+type:feature',
      'ui libs/ui src/index.ts type:ui',
    ]);

    const sheriff = repo({
      'sheriff.config.ts': "import { SheriffConfig } from '@softarc/sheriff-core';\nexport const config: SheriffConfig = {\n  modules: {\n    'src/app/domains/<domain>': ['domain:<domain>'],\n  },\n  depRules: {},\n};\n",
      'src/app/domains/booking/index.ts': 'export const b = 1;\n',
      'src/app/domains/checkin/index.ts': 'export const c = 1;\n',
    });
    const fromSheriff = await inferModuleMap(sheriff.root);
    expect(fromSheriff.modules.map((m) => m.root)).toEqual(['src/app/domains/booking', 'src/app/domains/checkin']);
    expect(fromSheriff.notes.join()).toContain('depRules are not carried over');
  });
});

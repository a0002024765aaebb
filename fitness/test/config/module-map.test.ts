import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/index.js';
import { runCheck } from '../../src/rules/run.js';
import { makeRepo } from '../support/tmp-repo.js';

/** Issue 10: module globs name exactly the declared modules; overlapping places are config errors. */
const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));
const json = (x: unknown) => JSON.stringify(x);

/** Three modules, each with a sub-folder that a loose glob would turn into a module. */
const TREE: Record<string, string> = {
  'src/modules/orders/index.ts': 'export const o = 1;\n',
  'src/modules/orders/domain/order.ts': 'export const order = 1;\n',
  'src/modules/catalog/index.ts': 'export const c = 1;\n',
  'src/modules/catalog/domain/listing.ts': 'export const listing = 1;\n',
  'src/modules/billing/index.ts': 'export const b = 1;\n',
  'src/shared/money.ts': 'export const money = 1;\n',
};
function repoWith(config: unknown, extra: Record<string, string> = {}) {
  const r = makeRepo({ ...TREE, ...extra, 'archfit.config.json': json(config) });
  repos.push(r);
  return r;
}
const names = async (modules: unknown) => (await loadConfig(repoWith({ modules }).root)).modules.map((m) => [m.name, m.root]);

describe('module globs name exactly what they say', () => {
  it('a brace list without a trailing wildcard is those folders, not every folder below them', async () => {
    expect(await names([{ glob: 'src/modules/{orders,catalog}' }])).toEqual([
      ['catalog', 'src/modules/catalog'],
      ['orders', 'src/modules/orders'],
    ]);
  });

  it('an extglob is matched exactly', async () => {
    expect(await names([{ glob: 'src/modules/@(orders|billing)' }])).toEqual([
      ['billing', 'src/modules/billing'],
      ['orders', 'src/modules/orders'],
    ]);
  });

  it('a plain folder is one module', async () => {
    expect(await names([{ glob: 'src/modules/orders' }])).toEqual([['orders', 'src/modules/orders']]);
  });

  it('a trailing wildcard is still one level', async () => {
    expect((await names([{ glob: 'src/modules/*' }])).map(([n]) => n)).toEqual(['billing', 'catalog', 'orders']);
  });
});

describe('overlapping places are config errors (exit 2), not a silent nearest-wins', () => {
  const error = async (config: unknown) => {
    const err = await loadConfig(repoWith(config).root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  };

  it('a named module inside a glob module', async () => {
    expect(await error({ modules: [{ glob: 'src/modules/*' }, { name: 'ledger', root: 'src/modules/billing', publicEntries: ['index.ts'] }] })).toMatch(
      /module "(ledger|billing)" \(src\/modules\/billing\) lies inside module "(billing|ledger)"/,
    );
    expect(await error({ modules: [{ glob: 'src/modules/*' }, { name: 'order-domain', root: 'src/modules/orders/domain', publicEntries: ['order.ts'] }] })).toMatch(
      /module "order-domain" \(src\/modules\/orders\/domain\) lies inside module "orders"/,
    );
  });

  it('a context root inside a module', async () => {
    expect(await error({ modules: [{ glob: 'src/modules/*' }], contexts: [{ name: 'admin', root: 'src/modules/orders/domain' }] })).toMatch(
      /context "admin" \(src\/modules\/orders\/domain\) lies inside module "orders"/,
    );
  });

  it('the shared kernel inside a module', async () => {
    expect(await error({ modules: [{ glob: 'src/modules/*' }], sharedKernel: ['src/modules/catalog/domain'] })).toMatch(
      /shared kernel folder "src\/modules\/catalog\/domain" .* lies inside module "catalog"/,
    );
  });

  it('the CLI exits 2 on it', async () => {
    const r = repoWith({ modules: [{ glob: 'src/modules/*' }], sharedKernel: ['src/modules/catalog/domain'] });
    const { main } = await import('../../src/cli/main.js');
    const exit = await main(['node', 'archfit', 'check', r.root]);
    expect(exit).toBe(2);
  });
});

describe('the shared kernel is checked too', () => {
  it('a kernel -> module import is a violation, and the cycle through the kernel is reported', async () => {
    const r = repoWith(
      { modules: [{ glob: 'src/modules/*' }], sharedKernel: ['src/shared'] },
      {
        'src/shared/money.ts': "import { o } from '../modules/orders/index.js';\nexport const money = o;\n",
        'src/modules/orders/index.ts': "import { money } from '../../shared/money.js';\nexport const o = 1;\nexport const m = money;\n",
      },
    );
    const result = await runCheck({ root: r.root, cache: false, noBaseline: true });
    const found = result.violations.map((v) => `${v.rule} ${v.file}:${v.line}`);
    expect(found).toEqual(['no-undeclared-module-dependency src/shared/money.ts:1', 'no-module-cycle src/modules/orders/index.ts:1']);
    expect(result.violations[1]!.message).toMatch(/modules orders -> shared kernel -> orders form a cycle/);
  });

  it('a workspace library listed in layers.packages is a package, not "outside every module"', async () => {
    const r = repoWith(
      {
        include: ['src/**/*.ts', 'libs/*/src/**/*.ts'],
        modules: [{ glob: 'src/modules/*' }],
        layers: { allowed: { domain: [] }, packages: { domain: ['@acme/money'] } },
      },
      {
        'package.json': json({ name: 'app', private: true, workspaces: ['libs/*'] }),
        'libs/money/package.json': json({ name: '@acme/money', exports: { '.': './src/index.ts' } }),
        'libs/money/src/index.ts': 'export const cents = 1;\n',
        'libs/clock/package.json': json({ name: '@acme/clock', exports: { '.': './src/index.ts' } }),
        'libs/clock/src/index.ts': 'export const now = 1;\n',
        'src/modules/orders/domain/order.ts': "import { cents } from '@acme/money';\nimport { now } from '@acme/clock';\nexport const order = [cents, now];\n",
      },
    );
    const result = await runCheck({ root: r.root, cache: false, noBaseline: true });
    expect(result.violations.map((v) => `${v.rule} ${v.file}:${v.line} ${v.to}`)).toEqual(['layer-direction src/modules/orders/domain/order.ts:2 @acme/clock']);
  });
});

describe('caches', () => {
  it('the resolution cache is keyed on the whole extends chain', async () => {
    const r = repoWith(
      { modules: [{ glob: 'src/modules/*' }], dependencies: { orders: ['catalog'] } },
      {
        'tsconfig.json': json({ extends: './configs/base.json' }),
        'configs/base.json': json({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', paths: { '#c/*': ['../src/modules/catalog/*'] } } }),
        'src/modules/orders/index.ts': "import { listing } from '#c/domain/listing';\nexport const o = listing;\n",
        'src/shared/domain/listing.ts': 'export const listing = 2;\n',
      },
    );
    const first = await runCheck({ root: r.root, noBaseline: true });
    expect(first.violations.map((v) => v.rule)).toEqual(['module-boundary']);
    // Point the alias elsewhere in the base only (no file added or changed): a cached run must see it.
    r.write('configs/base.json', json({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', paths: { '#c/*': ['../src/shared/*'] } } }));
    const cached = await runCheck({ root: r.root, noBaseline: true });
    const uncached = await runCheck({ root: r.root, noBaseline: true, cache: false });
    expect(cached.violations).toEqual(uncached.violations);
    expect(cached.violations).toEqual([]);
  });

  it('nothing is written to .archfit-cache when the cache is off', async () => {
    const r = repoWith({ modules: [{ glob: 'src/modules/*' }], cache: { enabled: false } }, { 'tsconfig.json': json({ compilerOptions: { module: 'NodeNext' } }) });
    await runCheck({ root: r.root, noBaseline: true });
    // A .ts config (its compiled value used to be cached even with the cache off) and --no-cache.
    const off = makeRepo({ ...TREE, 'archfit.config.ts': `export default ${json({ modules: [{ glob: 'src/modules/*' }] })};\n` });
    repos.push(off);
    await runCheck({ root: off.root, noBaseline: true, cache: false });
    expect(existsSync(path.join(r.root, '.archfit-cache'))).toBe(false);
    expect(existsSync(path.join(off.root, '.archfit-cache'))).toBe(false);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/index.js';
import { CLEAN_REPO, makeRepo } from '../support/tmp-repo.js';

const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));

async function errorFor(config: unknown, extra: Record<string, string> = {}): Promise<ConfigError> {
  const repo = makeRepo({ ...CLEAN_REPO, ...extra, 'archfit.config.json': JSON.stringify(config) });
  repos.push(repo);
  const err = await loadConfig(repo.root).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('loadConfig', () => {
  it('resolves modules, public entries, layers and defaults', async () => {
    const repo = makeRepo(CLEAN_REPO);
    repos.push(repo);
    const config = await loadConfig(repo.root);
    expect(config.modules.map((m) => [m.name, m.root, m.publicEntries, m.allowedDependencies])).toEqual([
      ['catalog', 'src/modules/catalog', ['src/modules/catalog/index.ts'], []],
      ['orders', 'src/modules/orders', ['src/modules/orders/index.ts'], ['catalog']],
    ]);
    expect(config.adr.dir).toBe('adr');
    expect(config.load).toEqual({ scenarios: 'load/scenarios', results: 'load/results' });
    expect(config.triggers.evidenceMaxAgeDays).toBe(30);
    expect(config.rules['no-module-cycle']?.typeOnly).toBe('ignore');
    expect(config.rules['module-boundary']?.typeOnly).toBe('count');
  });

  it('names an unknown key', async () => {
    const err = await errorFor({ modules: [{ glob: 'src/modules/*', publicEntry: 'x' }] });
    expect(err.message).toBe('modules[0].publicEntry: unknown key');
    expect((await errorFor({ modules: [], modul: 1 })).message).toBe('modul: unknown key');
  });

  it('rejects a module glob that matches no folder', async () => {
    const err = await errorFor({ modules: [{ glob: 'src/nothing/*' }] });
    expect(err.key).toBe('modules[0].glob');
    expect(err.message).toContain('matches no folder');
  });

  it('rejects a module declared twice', async () => {
    const err = await errorFor({ modules: [{ glob: 'src/modules/*' }, { name: 'orders', root: 'src/modules/orders' }] });
    expect(err.message).toBe('modules[1]: module "orders" is declared twice (also by modules[0])');
  });

  it('rejects a dependency on an unknown module', async () => {
    const err = await errorFor({ modules: [{ glob: 'src/modules/*' }], dependencies: { orders: ['billing'] } });
    expect(err.key).toBe('dependencies.orders[0]');
    expect(err.message).toContain('unknown module "billing"');
  });

  it('rejects a layer no module has, a missing public entry, a missing context folder', async () => {
    expect((await errorFor({ modules: [{ glob: 'src/modules/*' }], layers: { allowed: { domain: [] } } })).key).toBe('layers.allowed.domain');
    expect((await errorFor({ modules: [{ glob: 'src/modules/*', publicEntries: ['main.ts'] }] })).key).toBe('modules[0].publicEntries');
    expect((await errorFor({ modules: [{ glob: 'src/modules/*' }], contexts: [{ glob: 'src/contexts/*' }] })).key).toBe('contexts[0].glob');
  });

  it('rejects a context folder that holds no source file (git would not even keep it)', async () => {
    const repo = makeRepo({ ...CLEAN_REPO, 'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/modules/*' }], contexts: [{ glob: 'src/contexts/*' }] }) });
    repos.push(repo);
    mkdirSync(path.join(repo.root, 'src/contexts/consumer'), { recursive: true });
    writeFileSync(path.join(repo.root, 'src/contexts/consumer/README.md'), 'not code');
    const err = await loadConfig(repo.root).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('contexts[0].glob');
    expect((err as ConfigError).message).toContain('context "consumer": src/contexts/consumer holds no source file');
  });

  it('rejects an unknown rule and a config exemption without a reason', async () => {
    expect((await errorFor({ modules: [{ glob: 'src/modules/*' }], rules: { 'no-such-rule': 'off' } })).key).toBe('rules.no-such-rule');
    const err = await errorFor({ modules: [{ glob: 'src/modules/*' }], exemptions: [{ rule: 'module-boundary', file: 'src/**', reason: ' ' }] });
    expect(err.key).toBe('exemptions[0].reason');
  });

  it('says when there is no config at all', async () => {
    const repo = makeRepo({ 'src/a.ts': '' });
    repos.push(repo);
    await expect(loadConfig(repo.root)).rejects.toThrow(/no archfit\.config\.ts/);
  });
});

describe('the validated config is cached, never a config that would fail', () => {
  const configOf = (value: unknown) => JSON.stringify(value);
  const VALID = { modules: [{ glob: 'src/modules/*' }], dependencies: { orders: ['catalog'] } };

  it('a JSON config edited to be invalid fails on the next run, and a fixed one passes again', async () => {
    const repo = makeRepo({ ...CLEAN_REPO, 'archfit.config.json': configOf(VALID) });
    repos.push(repo);
    const file = path.join(repo.root, 'archfit.config.json');
    await loadConfig(repo.root);
    await loadConfig(repo.root); // from .archfit-cache/config.json
    writeFileSync(file, configOf({ ...VALID, modul: 1 }));
    await expect(loadConfig(repo.root)).rejects.toThrow('modul: unknown key');
    await expect(loadConfig(repo.root)).rejects.toThrow('modul: unknown key');
    writeFileSync(file, configOf(VALID));
    expect((await loadConfig(repo.root)).modules.map((m) => m.name)).toEqual(['catalog', 'orders']);
  });

  it('a config that computes its value is validated whenever the value changes, a non-data value included', async () => {
    const repo = makeRepo({
      ...CLEAN_REPO,
      'modules.json': configOf(VALID),
      'archfit.config.mjs': "import { readFileSync } from 'node:fs';\nexport default JSON.parse(readFileSync(new URL('./modules.json', import.meta.url), 'utf8'));\n",
    });
    repos.push(repo);
    await loadConfig(repo.root);
    // Same file text, different value: the value decides.
    writeFileSync(path.join(repo.root, 'modules.json'), configOf({ ...VALID, cache: { enabled: 'yes' } }));
    await expect(loadConfig(repo.root)).rejects.toThrow(/cache\.enabled/);
    writeFileSync(path.join(repo.root, 'modules.json'), configOf(VALID));
    await loadConfig(repo.root);
    // A function where data belongs must not hash like the config without that key.
    writeFileSync(
      path.join(repo.root, 'archfit.config.mjs'),
      "import { readFileSync } from 'node:fs';\nconst c = JSON.parse(readFileSync(new URL('./modules.json', import.meta.url), 'utf8'));\nexport default { ...c, include: () => ['src/**/*.ts'] };\n",
    );
    await expect(loadConfig(repo.root)).rejects.toThrow(/include/);
  });
});

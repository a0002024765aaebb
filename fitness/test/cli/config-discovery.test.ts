import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { locateConfig, onlyDefineConfig } from '../../src/config/load.js';
import { loadConfig } from '../../src/index.js';
import { makeRepo } from '../support/tmp-repo.js';

const bin = fileURLToPath(new URL('../../bin/archfit.js', import.meta.url));
const run = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const repos: { cleanup(): void }[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));
const repo = (files: Record<string, string>) => {
  const r = makeRepo(files);
  repos.push(r);
  return r;
};

const MODULES = {
  'src/modules/catalog/index.ts': 'export const c = 1;\n',
  'src/modules/catalog/internal.ts': 'export const i = 1;\n',
  'src/modules/orders/index.ts': "import { i } from '../catalog/internal.js';\nexport const o = i;\n",
};

describe('finding and loading the config', () => {
  it('prints its version', () => {
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    const r = run(process.cwd(), '--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('walks up from a subfolder to the config, which sets the repository root', () => {
    const r = repo({ '.git/HEAD': 'x', 'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/modules/*' }] }), ...MODULES });
    const res = run(path.join(r.root, 'src/modules/orders'), 'check', '--no-cache');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('src/modules/orders/index.ts:1:19');
  });

  it('stops at the repository root (.git): a config above it never governs', () => {
    const outer = repo({ 'archfit.config.json': JSON.stringify({ modules: [{ glob: 'inner/src/modules/*' }] }), 'inner/.git/HEAD': 'x' });
    expect(locateConfig(path.join(outer.root, 'inner'))).toBeUndefined();
    expect(locateConfig(outer.root)).toEqual({ root: outer.root, file: 'archfit.config.json' });
    const res = run(path.join(outer.root, 'inner'), 'check');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('or a parent folder; run `archfit init` to write one');
  });

  it('loads a .ts config that imports node:fs and a sibling .ts file (through jiti), and reads it again on the next run', async () => {
    const r = repo({
      ...MODULES,
      'archfit/modules.ts': "export const publicEntries: string[] = ['index.ts'];\n",
      'archfit.config.ts': [
        "import { readdirSync } from 'node:fs';",
        "import { defineConfig } from 'archfit';",
        "import { publicEntries } from './archfit/modules.ts';",
        "const names: string[] = readdirSync(new URL('./src/modules', import.meta.url)).sort();",
        "export default defineConfig({ modules: names.map((name) => ({ name, root: `src/modules/${name}`, publicEntries })) });",
        '',
      ].join('\n'),
    });
    const first = await loadConfig(r.root);
    expect(first.modules.map((m) => m.name)).toEqual(['catalog', 'orders']);
    // Not a cached value: the config reads the file system, so a new folder shows up.
    r.write('src/modules/billing/index.ts', 'export const b = 1;\n');
    const second = await loadConfig(r.root);
    expect(second.modules.map((m) => m.name)).toEqual(['billing', 'catalog', 'orders']);
  });

  it('compiles a .ts config that imports only node: builtins and defineConfig once, then imports it natively, evaluating it every run', async () => {
    const text = [
      "import { readdirSync } from 'node:fs';",
      "import { defineConfig as define } from 'archfit';",
      "const names: string[] = readdirSync(new URL('./src/modules', import.meta.url)).sort();",
      "export default define({ modules: names.map((name) => ({ name, root: `src/modules/${name}` })) });",
      '',
    ].join('\n');
    const r = repo({ ...MODULES, 'archfit.config.ts': text });
    const dir = path.join(os.tmpdir(), `archfit-config-${process.getuid?.() ?? 'user'}`);
    const before = existsSync(dir) ? new Set(readdirSync(dir)) : new Set<string>();
    expect((await loadConfig(r.root)).modules.map((m) => m.name)).toEqual(['catalog', 'orders']);
    const added = readdirSync(dir).filter((f) => !before.has(f));
    expect(added).toHaveLength(1);
    const compiled = readFileSync(path.join(dir, added[0]!), 'utf8');
    // Types stripped, defineConfig inlined, import.meta.url pinned to the config's own URL.
    expect(compiled).not.toContain(': string[]');
    expect(compiled).not.toContain("from 'archfit'");
    expect(compiled).toContain(JSON.stringify(pathToFileURL(path.join(r.root, 'archfit.config.ts')).href));
    r.write('src/modules/billing/index.ts', 'export const b = 1;\n');
    expect((await loadConfig(r.root)).modules.map((m) => m.name)).toEqual(['billing', 'catalog', 'orders']);
    expect(readdirSync(dir).filter((f) => !before.has(f))).toHaveLength(1);
  });

  it('says which config failed to load and why, exit 2', () => {
    const r = repo({ ...MODULES, 'archfit.config.ts': "import { nothing } from './missing.ts';\nexport default { modules: nothing };\n" });
    const res = run(r.root, 'check');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cannot load archfit\.config\.ts: .*missing/);
  });

  it('gives a config that imports only defineConfig (or types) from archfit a light stand-in for the library', () => {
    expect(onlyDefineConfig("import { defineConfig } from 'archfit';")).toBe(true);
    expect(onlyDefineConfig("import { defineConfig, type ArchfitConfig } from 'archfit';\nimport type { Rule } from 'archfit';")).toBe(true);
    expect(onlyDefineConfig("import { defineConfig as define } from 'archfit';")).toBe(true);
    expect(onlyDefineConfig("import { defineConfig, rules } from 'archfit';")).toBe(false);
    expect(onlyDefineConfig("import * as archfit from 'archfit';")).toBe(false);
    expect(onlyDefineConfig("const a = await import('archfit');")).toBe(false);
  });
});

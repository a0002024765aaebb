import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a new user does, on the package as it would be published: `npm pack` fitness/, install
 * the tarball into a fresh repository outside this monorepo (its dependencies come from the
 * registry, nothing is borrowed from our node_modules), then `archfit init`, `check` and
 * `adr lint` there. One pack and one install serve every case; each case says what broke.
 */
const fitnessDir = fileURLToPath(new URL('../../', import.meta.url));
const monorepo = path.resolve(fitnessDir, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let scratch = '';
let tarball = '';
let packedFiles: string[] = [];
let installError = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** `archfit <args>` from the installed package, on the Node running the tests (20 or 24 in CI). */
const archfit = (cwd: string, ...args: string[]): Run => {
  const r = spawnSync(process.execPath, [path.join(scratch, 'node_modules/archfit/bin/archfit.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const explain = (what: string, r: Run) => `${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

beforeAll(() => {
  if (!existsSync(path.join(fitnessDir, 'dist/cli/main.js'))) throw new Error('fitness/dist is missing: run `npm run build` first (npm test does)');
  scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'archfit-packed-')));
  if (scratch.startsWith(`${monorepo}${path.sep}`)) throw new Error(`scratch repo ${scratch} is inside the monorepo; it must not see its node_modules`);
  // dist/ is built by `npm test` before the suite; --ignore-scripts skips the prepack rebuild.
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: fitnessDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(scratch, packed[0]!.filename);
  packedFiles = packed[0]!.files.map((f) => f.path).sort();

  const repo = path.join(scratch, 'repo');
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  write('package.json', JSON.stringify({ name: 'scratch-app', private: true, type: 'module', devDependencies: { archfit: `file:${tarball}` } }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  write('src/modules/catalog/index.ts', "export { listing } from './listing.js';\n");
  write('src/modules/catalog/listing.ts', 'export const listing = { id: 1 };\n');
  write('src/modules/orders/index.ts', "import { listing } from '../catalog/listing.js';\nexport const order = listing.id;\n");
  write('src/modules/billing/index.ts', "import { order } from '../orders/index.js';\nexport const bill = order;\n");
  execFileSync('git', ['init', '-q'], { cwd: repo });
  // Installed where the user's repo is, so `archfit` resolves from the tarball, not from us.
  scratch = repo;
  try {
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    installError = `npm install of ${path.basename(tarball)} failed: ${(err as { stderr?: string }).stderr ?? String(err)}`;
  }
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(path.dirname(scratch), { recursive: true, force: true });
});

// Each case spawns the CLI a few times; on a loaded 2-core machine one spawn can take 10 s.
describe('the packed archfit tarball installed into a fresh repository', { timeout: 300_000 }, () => {
  it('ships bin, dist, README, LICENSE and package.json only: no sources, tests or source maps', () => {
    const stray = packedFiles.filter((f) => !/^(bin\/|dist\/|README\.md$|LICENSE$|package\.json$)/.test(f));
    expect(stray, `files outside the published set: ${stray.join(', ')}`).toEqual([]);
    expect(packedFiles.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(packedFiles).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'bin/archfit.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts']));
  });

  it('ships a README whose links all point at documents that exist', () => {
    const readme = readFileSync(path.join(fitnessDir, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    const relative = links.filter((l) => !/^https?:/.test(l) && !l.startsWith('#'));
    expect(relative, 'relative links break on the registry page').toEqual([]);
    for (const link of links.filter((l) => l.startsWith('https://github.com/archfit/archfit/blob/main/'))) {
      const file = link.replace('https://github.com/archfit/archfit/blob/main/', '').replace(/#.*$/, '');
      expect(existsSync(path.join(monorepo, file)), `README links to ${file}, which does not exist`).toBe(true);
    }
  });

  it('installs with every runtime dependency declared and prints its version', () => {
    expect(installError).toBe('');
    const version = (JSON.parse(readFileSync(path.join(fitnessDir, 'package.json'), 'utf8')) as { version: string }).version;
    const r = archfit(scratch, '--version');
    expect(r.code, explain('archfit --version', r)).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('init writes a config, finds the deep import, records the baseline; check then passes and catches a new one', () => {
    expect(installError).toBe('');
    const init = archfit(scratch, 'init');
    expect(init.code, explain('archfit init', init)).toBe(0);
    expect(init.stdout).toContain('wrote archfit.config.ts with 3 modules');
    expect(init.stdout).toContain('src/modules/orders/index.ts:1:25  [module-boundary]');
    expect(existsSync(path.join(scratch, 'archfit-baseline.json'))).toBe(true);

    const again = archfit(scratch, 'init');
    expect(again.code, explain('second archfit init', again)).toBe(3);

    const check = archfit(path.join(scratch, 'src/modules'), 'check');
    expect(check.code, explain('archfit check (from a subfolder, with the baseline)', check)).toBe(0);
    expect(check.stdout).toContain('1 known (baseline)');

    writeFileSync(path.join(scratch, 'src/modules/billing/late.ts'), "import { listing } from '../catalog/listing.js';\nexport const late = listing;\n");
    const caught = archfit(scratch, 'check', '--format', 'sarif', '-o', 'archfit.sarif');
    expect(caught.code, explain('archfit check after a new deep import', caught)).toBe(1);
    const sarif = JSON.parse(readFileSync(path.join(scratch, 'archfit.sarif'), 'utf8'));
    type Result = { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] };
    // A deep import into catalog, which billing was not observed to depend on at init.
    expect(sarif.runs[0].results.map((r: Result) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}`).sort()).toEqual([
      'module-boundary src/modules/billing/late.ts',
      'no-undeclared-module-dependency src/modules/billing/late.ts',
    ]);
  });

  it('loads a .ts config that imports the library and node:fs from the installed package', () => {
    expect(installError).toBe('');
    const dir = path.join(scratch, 'sub');
    mkdirSync(path.join(dir, 'src/modules/a'), { recursive: true });
    mkdirSync(path.join(dir, 'src/modules/b'), { recursive: true });
    writeFileSync(path.join(dir, 'src/modules/a/index.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(dir, 'src/modules/b/index.ts'), "import { a } from '../a/index.js';\nexport const b = a;\n");
    writeFileSync(
      path.join(dir, 'archfit.config.ts'),
      [
        "import { readdirSync } from 'node:fs';",
        "import { defineConfig, rules } from 'archfit';",
        "const names: string[] = readdirSync(new URL('./src/modules', import.meta.url));",
        'if (!rules.some((r) => r.id === "module-boundary")) throw new Error("the library did not load");',
        "export default defineConfig({ modules: names.map((name) => ({ name, root: `src/modules/${name}` })) });",
        '',
      ].join('\n'),
    );
    const r = archfit(dir, 'check', '--no-cache');
    expect(r.code, explain('archfit check with a .ts config importing archfit and node:fs', r)).toBe(1);
    expect(r.stdout).toContain('module b depends on module a');
  });

  it('the library loads the config with the built-in rules unless handed others (loadConfig, resolveAdrPaths, toDependencyCruiserConfig)', () => {
    expect(installError).toBe('');
    const dir = path.join(scratch, 'api');
    mkdirSync(path.join(dir, 'src/modules/a'), { recursive: true });
    writeFileSync(path.join(dir, 'src/modules/a/index.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(dir, 'archfit.config.json'), JSON.stringify({ modules: [{ glob: 'src/modules/*' }], rules: { 'no-module-cycle': 'warn' }, adr: { dir: 'decisions' } }));
    writeFileSync(
      path.join(dir, 'api.mjs'),
      [
        "import { loadConfig, resolveAdrPaths, toDependencyCruiserConfig } from 'archfit';",
        'const config = await loadConfig(process.cwd(), { cache: false });',
        'const paths = await resolveAdrPaths({ root: process.cwd() });',
        'const depcruise = toDependencyCruiserConfig(config);',
        "const unknown = await loadConfig(process.cwd(), { cache: false, rules: [{ id: 'mine', severity: 'error' }] }).then(() => 'loaded', (e) => e.message);",
        "console.log(JSON.stringify({ cycle: config.rules['no-module-cycle'].severity, boundary: config.rules['module-boundary'].severity, adr: paths.dir, forbidden: depcruise.forbidden.length > 0, unknown }));",
        '',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, ['api.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, explain('node api.mjs', { code: r.status, stdout: r.stdout, stderr: r.stderr })).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ cycle: 'warn', boundary: 'error', adr: 'decisions', forbidden: true, unknown: 'rules.no-module-cycle: unknown rule "no-module-cycle"; known rules: mine' });
  });

  it('adr new and adr lint work in the fresh repository', () => {
    expect(installError).toBe('');
    const created = archfit(scratch, 'adr', 'new', 'Keep one deployable');
    expect(created.code, explain('archfit adr new', created)).toBe(0);
    const lint = archfit(scratch, 'adr', 'lint');
    expect(lint.code, explain('archfit adr lint', lint)).toBe(0);
  });
});

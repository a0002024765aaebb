import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { afterAll, describe, expect, it } from 'vitest';
import { anyGlob, folderMtimesMove, walkFilesReusing } from '../../src/graph/walk.js';
import { buildGraph } from '../../src/graph/build.js';
import { loadConfig } from '../../src/index.js';
import { CLEAN_REPO, makeRepo } from '../support/tmp-repo.js';
import { sqlCandidates } from '../../src/rules/data-ownership.js';
import { generateRepo } from '../../bench/generate.js';

/**
 * The fast paths keep the meaning of the libraries they replaced: anyGlob answers as picomatch
 * given the same list, and data-ownership's walk finds what its tinyglobby call found.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'archfit-walk-'));
  dirs.push(d);
  return d;
};

const GLOB_LISTS = [
  ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/*.d.ts', '**/test/**', '**/tests/**', '**/__tests__/**', '**/*.test.*', '**/*.spec.*', '.archfit-cache/**'],
  ['src/**/*.ts'],
  ['**/*.{ts,tsx,mts,cts}'],
  ['src/modules/{a,b}/**', 'app/[id].ts', '!(x)/**/*.ts', 'pages/[...slug]/*.tsx'],
  ['*.ts', 'src/*/index.ts', 'src/modules/+(a|b)/**'],
];
const PATHS = [
  'a.ts', 'src/x.ts', 'src/modules/a/x.ts', 'src/modules/c/y.tsx', 'app/[id].ts', 'app/i.ts', 'x/y/z.ts', '.hidden/a.ts', 'src/.x/a.ts',
  'dist/a.js', 'a/node_modules/b.ts', 'src/a/test/b.ts', 'src/a.test.ts', 'src/a.d.ts', 'src/m/index.ts', '.archfit-cache/x', 'y/a.spec.tsx',
  'pages/[...slug]/p.tsx', 'pages/x/p.tsx', 'src/modules/b', 'src/modules/ab/x.ts',
];

describe('anyGlob', () => {
  it.each(GLOB_LISTS.flatMap((globs) => [true, false].map((dot) => [globs, dot] as const)))('matches as picomatch does: %j (dot %s)', (globs, dot) => {
    const expected = picomatch(globs, { dot });
    const actual = anyGlob(globs, { dot });
    for (const p of PATHS) expect([p, actual(p)]).toEqual([p, expected(p)]);
  });
});

describe("data-ownership's candidate walk", () => {
  const tinyglobbyCandidates = async (root: string, modules: { root: string }[], sql: string[]) =>
    (await glob(modules.flatMap((m) => sql.map((g) => path.posix.join(m.root, g))), { cwd: root, ignore: ['**/node_modules/**', '**/*.d.ts'] }))
      .filter((f) => /\.(sql|[cm]?tsx?)$/.test(f))
      .sort();

  it('finds what tinyglobby found on the generated benchmark repository', async () => {
    const root = tmp();
    generateRepo({ dir: root, files: 600, modules: 8 });
    const modules = Array.from({ length: 8 }, (_, i) => ({ root: `src/modules/m${String(i).padStart(2, '0')}` }));
    for (const sql of [['infrastructure/**'], ['infrastructure'], ['infrastructure/'], ['**/*.sql'], ['infrastructure/*.ts', 'infrastructure/migrations/*.sql']]) {
      const mine = sqlCandidates(root, modules, sql);
      expect(mine.length).toBeGreaterThan(0);
      expect([sql, mine]).toEqual([sql, await tinyglobbyCandidates(root, modules, sql)]);
    }
    // A negated glob excludes (joined under the module root, tinyglobby read it as a literal folder named "!infrastructure").
    const all = sqlCandidates(root, modules, ['infrastructure/**']);
    const some = sqlCandidates(root, modules, ['infrastructure/**', '!infrastructure/i0*.ts']);
    expect(some).toEqual(all.filter((f) => !/\/infrastructure\/i0[^/]*\.ts$/.test(f)));
    expect(some.length).toBeLessThan(all.length);
  });

  it('skips declarations, node_modules, dot folders and other extensions, as tinyglobby did', async () => {
    const root = tmp();
    const files = [
      'src/modules/a/infrastructure/db.sql',
      'src/modules/a/infrastructure/repo.ts',
      'src/modules/a/infrastructure/types.d.ts',
      'src/modules/a/infrastructure/readme.md',
      'src/modules/a/infrastructure/node_modules/x/q.sql',
      'src/modules/a/infrastructure/.cache/q.sql',
      'src/modules/a/infrastructure/deep/er/m.sql',
      'src/modules/a/domain/d.ts',
      'src/modules/b/infrastructure/b.mts',
    ];
    for (const f of files) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), 'select 1;\n');
    }
    symlinkSync(path.join(root, 'missing.sql'), path.join(root, 'src/modules/a/infrastructure/dangling.sql'));
    const modules = [{ root: 'src/modules/a' }, { root: 'src/modules/b' }];
    const mine = sqlCandidates(root, modules, ['infrastructure/**']);
    expect(mine.filter((f) => !f.endsWith('dangling.sql'))).toEqual(await tinyglobbyCandidates(root, modules, ['infrastructure/**']));
    expect(mine).toEqual([
      'src/modules/a/infrastructure/dangling.sql',
      'src/modules/a/infrastructure/db.sql',
      'src/modules/a/infrastructure/deep/er/m.sql',
      'src/modules/a/infrastructure/repo.ts',
      'src/modules/b/infrastructure/b.mts',
    ]);
  });
});

describe('the file listing, reused while no folder changed', () => {
  /** Every folder's mtime set a minute back, so a walk is not racy and its listing is kept. */
  const age = (root: string) => {
    const past = new Date(Date.now() - 60_000);
    const visit = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && e.name !== '.archfit-cache') visit(path.join(dir, e.name));
      utimesSync(dir, past, past);
    };
    visit(root);
  };
  const build = async (root: string) => {
    const config = await loadConfig(root, { cache: false });
    return buildGraph(config, { cache: true });
  };

  it('walks once, then reuses the listing; a file added, removed or moved is seen on the next run', async () => {
    const repo = makeRepo(CLEAN_REPO);
    dirs.push(repo.root);
    await build(repo.root); // creates .archfit-cache, which touches the root folder
    age(repo.root);
    expect((await build(repo.root)).stats.walked).toBe(true);
    const reused = await build(repo.root);
    expect(reused.stats.walked).toBe(false);
    expect([...reused.graph.files.keys()]).toEqual(['src/modules/catalog/find-listing.ts', 'src/modules/catalog/index.ts', 'src/modules/orders/index.ts']);

    repo.write('src/modules/orders/extra.ts', 'export const extra = 1;\n');
    const added = await build(repo.root);
    expect(added.stats.walked).toBe(true);
    expect(added.graph.files.has('src/modules/orders/extra.ts')).toBe(true);

    rmSync(path.join(repo.root, 'src/modules/orders/extra.ts'));
    repo.write('src/modules/catalog/deeper/nested.ts', 'export const n = 1;\n');
    const changed = await build(repo.root);
    expect(changed.graph.files.has('src/modules/orders/extra.ts')).toBe(false);
    expect(changed.graph.files.has('src/modules/catalog/deeper/nested.ts')).toBe(true);
  });

  it('does not keep a walk of folders modified within two seconds (racy), and a base that appears later is found', async () => {
    const repo = makeRepo({ ...CLEAN_REPO, 'archfit.config.json': JSON.stringify({ include: ['src/**/*.ts', 'lib/**/*.ts'], modules: [{ glob: 'src/modules/*' }], dependencies: { orders: ['catalog'] } }) });
    dirs.push(repo.root);
    // Just written: racy, so the next run walks again.
    await build(repo.root);
    expect((await build(repo.root)).stats.walked).toBe(true);
    age(repo.root);
    await build(repo.root);
    expect((await build(repo.root)).stats.walked).toBe(false);
    // lib/ did not exist when the listing was taken.
    repo.write('lib/util.ts', 'export const u = 1;\n');
    const later = await build(repo.root);
    expect(later.stats.walked).toBe(true);
    expect(later.graph.files.has('lib/util.ts')).toBe(true);
  });

  it('keeps a listing only where folder mtimes were seen to move (the filesystem probe), and never with the cache off', () => {
    const root = tmp();
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src/a.ts'), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(path.join(root, 'src'), past, past);
    utimesSync(root, past, past);
    const options = { descend: () => true, keep: (rel: string) => rel.endsWith('.ts') };
    expect(folderMtimesMove(path.join(tmp(), 'probe'))).toBe(true);
    // A probe folder that cannot be created (its parent is a file) answers no.
    const file = path.join(tmp(), 'file');
    writeFileSync(file, '');
    expect(folderMtimesMove(path.join(file, 'probe'))).toBe(false);
    expect(walkFilesReusing(root, ['src'], options, 'k', undefined, path.join(file, 'probe')).listing).toBeUndefined();
    expect(walkFilesReusing(root, ['src'], options, 'k', undefined, undefined).listing).toBeUndefined();
    const kept = walkFilesReusing(root, ['src'], options, 'k', undefined, path.join(tmp(), 'probe'));
    expect(kept.files).toEqual(['src/a.ts']);
    expect(kept.listing?.dirs).toEqual(['src']);
  });
});

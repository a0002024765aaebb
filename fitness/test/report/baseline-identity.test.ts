import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/rules/run.js';
import { makeRepo } from '../support/tmp-repo.js';

/**
 * Baseline entries are keyed on (rule, file, from, to, occurrence), never on message text. Each
 * case below changed a message (or a path inside it) and, keyed on messages, turned known
 * debt into new errors plus stale entries: exit 1 where 0 is right.
 */
const repos: { cleanup(): void }[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

const config = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    modules: [{ glob: 'src/modules/*' }],
    dependencies: { orders: ['catalog'] },
    layers: { allowed: { domain: [], application: ['domain'] }, packages: { domain: ['zod'] } },
    ...extra,
  });

/** orders reaches an internal catalog file, imports identity undeclared, and its domain imports a package. */
const FILES: Record<string, string> = {
  'archfit.config.json': config(),
  'src/modules/catalog/index.ts': "export const catalog = 1;\n",
  'src/modules/catalog/internal.ts': 'export const secret = 1;\n',
  'src/modules/identity/index.ts': 'export const identity = 1;\n',
  'src/modules/orders/index.ts': "export * from './application/place.js';\n",
  'src/modules/orders/domain/order.ts': "import { z } from 'valibot';\nexport const order = z;\n",
  'src/modules/orders/application/place.ts':
    "import { secret } from '../../catalog/internal.js';\nimport { identity } from '../../identity/index.js';\nimport { order } from '../domain/order.js';\nexport const place = secret + identity + String(order);\n",
};

function repo(files: Record<string, string> = FILES) {
  const r = makeRepo(files);
  repos.push(r);
  return r;
}

const check = (root: string, extra: Parameters<typeof runCheck>[0] extends infer O ? Partial<O> : never = {}) => runCheck({ root, cache: false, ...extra });

describe('baseline identities', () => {
  it('records rule, file, from, to and an occurrence index per entry', async () => {
    const r = repo();
    const result = await check(r.root, { updateBaseline: true });
    expect(result.baselineWritten).toBe(3);
    const data = JSON.parse(readFileSync(path.join(r.root, 'archfit-baseline.json'), 'utf8'));
    expect(data.schemaVersion).toBe(2);
    const keys = data.entries.map((e: Record<string, unknown>) => `${e.rule} ${e.file} ${e.from} ${e.to} ${e.occurrence}`).sort();
    expect(keys).toEqual([
      'layer-direction src/modules/orders/domain/order.ts orders/domain valibot 0',
      'module-boundary src/modules/orders/application/place.ts orders catalog 0',
      'no-undeclared-module-dependency src/modules/orders/application/place.ts orders identity 0',
    ]);
  });

  it('keeps debt known when an unrelated allowed dependency is added (the message lists them)', async () => {
    const r = repo();
    await check(r.root, { updateBaseline: true });
    // orders may now also depend on a new module, payments: the undeclared-dependency message lists it.
    r.write('src/modules/payments/index.ts', 'export const pay = 1;\n');
    r.write('archfit.config.json', config({ dependencies: { orders: ['catalog', 'payments'] } }));
    const before = await check(r.root, { noBaseline: true });
    expect(before.violations.find((v) => v.rule === 'no-undeclared-module-dependency')?.message).toContain('catalog, payments');
    const result = await check(r.root);
    expect(before.violations.length).toBe(3);
    expect(result.violations).toEqual([]);
    expect(result.staleBaseline).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('keeps debt known when a package is added to layers.packages (the message quotes the list)', async () => {
    const r = repo();
    await check(r.root, { updateBaseline: true });
    r.write('archfit.config.json', config({ layers: { allowed: { domain: [], application: ['domain'] }, packages: { domain: ['zod', 'date-fns'] } } }));
    const all = await check(r.root, { noBaseline: true });
    expect(all.violations.find((v) => v.rule === 'layer-direction')?.message).toContain('date-fns');
    const result = await check(r.root);
    expect(result.exitCode).toBe(0);
    expect(result.staleBaseline).toEqual([]);
  });

  it('keeps a module cycle known when a file on it is renamed (the message lists the files)', async () => {
    const r = repo({
      'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/modules/*' }], dependencies: { a: ['b'], b: ['a'] } }),
      'src/modules/a/index.ts': "export { x } from './x.js';\n",
      'src/modules/a/x.ts': "import { y } from '../b/index.js';\nexport const x = () => y;\n",
      'src/modules/b/index.ts': "import { x } from '../a/index.js';\nexport const y = () => x;\n",
    });
    await check(r.root, { updateBaseline: true });
    renameSync(path.join(r.root, 'src/modules/a/x.ts'), path.join(r.root, 'src/modules/a/renamed.ts'));
    r.write('src/modules/a/index.ts', "export { x } from './renamed.js';\n");
    const all = await check(r.root, { noBaseline: true });
    expect(all.violations.map((v) => v.rule)).toEqual(['no-module-cycle']);
    expect(all.violations[0]!.message).toContain('renamed.ts');
    const result = await check(r.root);
    expect(result.exitCode).toBe(0);
    expect(result.staleBaseline).toEqual([]);
  });

  it('counts a second import of the same target from the same file as a new occurrence; moving lines changes nothing', async () => {
    const r = repo();
    await check(r.root, { updateBaseline: true });
    const place = FILES['src/modules/orders/application/place.ts']!;
    // Same imports, moved down two lines: still known.
    r.write('src/modules/orders/application/place.ts', `// moved\n// down\n${place}`);
    expect((await check(r.root)).exitCode).toBe(0);
    // A second deep import into catalog from the same file is new debt: occurrence 1.
    r.write('src/modules/catalog/other.ts', 'export const other = 1;\n');
    r.write('src/modules/orders/application/place.ts', `${place}import { other } from '../../catalog/other.js';\nexport const o = other;\n`);
    const result = await check(r.root);
    expect(result.exitCode).toBe(1);
    expect(result.violations.map((v) => `${v.rule} ${v.line}`)).toEqual(['module-boundary 5']);
    expect(result.staleBaseline).toEqual([]);
  });

  it('migrates a schemaVersion 1 (message-keyed) baseline, and the migrated file survives a message change', async () => {
    const r = repo();
    const today = await check(r.root, { noBaseline: true });
    const v1 = { schemaVersion: 1, entries: today.violations.map((v) => ({ rule: v.rule, file: v.file, message: v.message })) };
    writeFileSync(path.join(r.root, 'archfit-baseline.json'), `${JSON.stringify(v1, null, 2)}\n`);
    const migrated = await check(r.root);
    expect(migrated.exitCode).toBe(0);
    expect(migrated.baselineMigrated).toBe(3);
    const data = JSON.parse(readFileSync(path.join(r.root, 'archfit-baseline.json'), 'utf8'));
    expect(data.schemaVersion).toBe(2);
    expect(data.entries.every((e: { occurrence?: number }) => e.occurrence === 0)).toBe(true);
    // The change that broke v1 baselines: a package added to layers.packages rewrites a message.
    r.write('archfit.config.json', config({ layers: { allowed: { domain: [], application: ['domain'] }, packages: { domain: ['zod', 'date-fns'] } } }));
    const after = await check(r.root);
    expect(after.exitCode).toBe(0);
    expect(after.baselineMigrated).toBeUndefined();
  });

  it('keeps an unmatched v1 entry stale (fails the run) instead of dropping it', async () => {
    const r = repo();
    const today = await check(r.root, { noBaseline: true });
    const entries = today.violations.map((v) => ({ rule: v.rule, file: v.file, message: v.message }));
    entries.push({ rule: 'module-boundary', file: 'src/gone.ts', message: 'import "../x" reaches something that was fixed' });
    writeFileSync(path.join(r.root, 'archfit-baseline.json'), JSON.stringify({ schemaVersion: 1, entries }));
    const result = await check(r.root);
    expect(result.exitCode).toBe(1);
    expect(result.staleBaseline.map((e) => e.file)).toEqual(['src/gone.ts']);
  });

  it('rejects a baseline that is not one, naming the file', async () => {
    const r = repo();
    writeFileSync(path.join(r.root, 'archfit-baseline.json'), JSON.stringify({ schemaVersion: 9, entries: [] }));
    await expect(check(r.root)).rejects.toThrow(/baseline: cannot read baseline archfit-baseline.json: not an archfit baseline/);
  });
});

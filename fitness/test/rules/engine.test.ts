import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/rules/run.js';
import { copyFixture, makeRepo } from '../support/tmp-repo.js';

const repos: { cleanup(): void }[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));
const track = <T extends { cleanup(): void }>(r: T) => (repos.push(r), r);

const REACH_IN = 'src/modules/orders/application/reach-in.ts';

describe('exemptions', () => {
  it('an inline exemption with a reason exempts the next line and is counted', async () => {
    const repo = track(copyFixture('module-boundary'));
    const file = path.join(repo.root, REACH_IN);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `// archfit-ignore module-boundary: migrating to the catalog api in ORD-12\n${text}`);
    const result = await runCheck({ root: repo.root, cache: false });
    expect(result.exempted).toHaveLength(1);
    expect(result.exempted[0]).toMatchObject({ via: 'inline', reason: 'migrating to the catalog api in ORD-12', violation: { line: 2 } });
    expect(result.violations.filter((v) => v.rule === 'module-boundary')).toHaveLength(6);
  });

  it('an inline exemption without a reason is itself an error and exempts nothing', async () => {
    const repo = track(copyFixture('module-boundary'));
    const file = path.join(repo.root, REACH_IN);
    writeFileSync(file, `// archfit-ignore module-boundary\n${readFileSync(file, 'utf8')}`);
    const result = await runCheck({ root: repo.root, cache: false });
    expect(result.exempted).toHaveLength(0);
    expect(result.violations.find((v) => v.rule === 'exemption-needs-reason')).toMatchObject({ file: REACH_IN, line: 1 });
    expect(result.violations.filter((v) => v.rule === 'module-boundary')).toHaveLength(7);
  });

  it('a config exemption with a reason exempts matching files', async () => {
    const repo = track(copyFixture('module-boundary'));
    const configFile = path.join(repo.root, 'archfit.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.exemptions = [{ rule: 'module-boundary', file: 'src/modules/orders/application/*.ts', to: 'catalog', reason: 'legacy, see ADR 7' }];
    writeFileSync(configFile, JSON.stringify(config));
    const result = await runCheck({ root: repo.root, cache: false });
    expect(result.violations.map((v) => v.line)).toEqual([5]); // billing is not covered by `to`
    expect(result.exempted).toHaveLength(6);
  });
});

describe('baseline', () => {
  it('records violations, fails only on new ones and reports stale entries', async () => {
    const repo = track(copyFixture('no-undeclared-module-dependency'));
    const written = await runCheck({ root: repo.root, cache: false, updateBaseline: true });
    expect(written.baselineWritten).toBe(2);
    expect(written.exitCode).toBe(0);
    const baseline = JSON.parse(readFileSync(path.join(repo.root, 'archfit-baseline.json'), 'utf8'));
    expect(baseline.entries.map((e: { rule: string }) => e.rule)).toEqual(['no-undeclared-module-dependency', 'no-undeclared-module-dependency']);
    expect(JSON.stringify(baseline)).not.toContain('"line"');

    const again = await runCheck({ root: repo.root, cache: false });
    expect(again.exitCode).toBe(0);
    expect(again.baselined).toHaveLength(2);

    // A new violation fails; the known ones stay known.
    repo.write('src/modules/identity/application/spy.ts', "import { placeOrder } from '../../orders/index.js';\nexport const s = placeOrder;\n");
    const fresh = await runCheck({ root: repo.root, cache: false });
    expect(fresh.exitCode).toBe(1);
    // identity -> orders is undeclared, and with orders -> identity it closes a module cycle.
    expect(fresh.violations.map((v) => `${v.rule} ${v.file}`).sort()).toEqual([
      'no-module-cycle src/modules/identity/application/spy.ts',
      'no-undeclared-module-dependency src/modules/identity/application/spy.ts',
    ]);

    // Fixing a recorded violation makes its entry stale: the run fails until the baseline shrinks.
    repo.write('src/modules/identity/application/spy.ts', 'export const s = 1;\n');
    repo.write('src/modules/orders/application/place-order.ts', "import { findListing } from '../../catalog/index.js';\nexport function placeOrder(id: string) { return findListing(id); }\n");
    const stale = await runCheck({ root: repo.root, cache: false });
    expect(stale.violations).toEqual([]);
    expect(stale.staleBaseline.map((e) => e.file)).toEqual(['src/modules/orders/application/place-order.ts']);
    expect(stale.exitCode).toBe(1);
  });
});

describe('cache and changed-files mode', () => {
  it('re-parses only edited files', async () => {
    const repo = track(copyFixture('layer-direction'));
    const cold = await runCheck({ root: repo.root, cache: true });
    expect(cold.stats.parsed).toBe(cold.stats.files);
    const warm = await runCheck({ root: repo.root, cache: true });
    expect(warm.stats.parsed).toBe(0);
    expect(warm.violations).toEqual(cold.violations);
    repo.write('src/modules/orders/domain/order.ts', "import { Type } from '@sinclair/typebox';\nexport const OrderSchema = Type.Object({});\n");
    const edited = await runCheck({ root: repo.root, cache: true });
    expect(edited.stats.parsed).toBe(1);
    expect(edited.violations.filter((v) => v.file === 'src/modules/orders/domain/order.ts')).toEqual([]);
  });

  it('--changed reports only files changed since a git ref', async () => {
    const repo = track(copyFixture('no-undeclared-module-dependency'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.root, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'base');
    repo.write('src/modules/catalog/application/find-listing.ts', "import type { placeOrder } from '../../orders/index.js';\n\nexport function findListing(id: string): { id: string; p?: typeof placeOrder } { return { id }; }\n");
    const result = await runCheck({ root: repo.root, cache: false, changed: 'HEAD' });
    expect(result.changedFiles).toEqual(['src/modules/catalog/application/find-listing.ts']);
    expect(result.violations.map((v) => v.file)).toEqual(['src/modules/catalog/application/find-listing.ts']);
    await expect(runCheck({ root: repo.root, cache: false, changed: 'no-such-ref' })).rejects.toThrow(/--changed/);
  });

  it('type-only edges: counted by boundary rules, ignored by the cycle rule unless configured', async () => {
    const repo = track(copyFixture('no-module-cycle'));
    const before = await runCheck({ root: repo.root, cache: false });
    expect(before.violations.filter((v) => v.rule === 'no-module-cycle')).toHaveLength(1);
    const configFile = path.join(repo.root, 'archfit.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.rules = { 'no-module-cycle': { typeOnly: 'count' } };
    writeFileSync(configFile, JSON.stringify(config));
    const after = await runCheck({ root: repo.root, cache: false });
    // orders <-> identity (type-only both ways) joins the same strongly connected set.
    const cycle = after.violations.find((v) => v.rule === 'no-module-cycle');
    expect(cycle?.message).toContain('identity');
  });
});

it('a clean repository exits 0', async () => {
  const repo = track(makeRepo({
    'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/modules/*' }] }),
    'src/modules/a/index.ts': 'export const a = 1;\n',
  }));
  const result = await runCheck({ root: repo.root, cache: false });
  expect(result.violations).toEqual([]);
  expect(result.exitCode).toBe(0);
});

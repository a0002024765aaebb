import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toDependencyCruiserConfig } from '../../src/report/depcruise.js';
import { loadConfig } from '../../src/index.js';
import { runCheck } from '../../src/rules/run.js';
import { copyFixture } from '../support/tmp-repo.js';

/**
 * `depcruise` with the config archfit generates must report the same (rule, from, to) import
 * pairs as `archfit check` on the import-rule fixtures. dependency-cruiser reports one
 * violation per file pair, so both sides are compared as sets of pairs.
 */
// npm workspaces hoist dependency-cruiser to the root node_modules; its `exports` hide bin/.
const depcruiseBin = fileURLToPath(new URL('../../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));
const IMPORT_RULES = ['module-boundary', 'no-undeclared-module-dependency', 'layer-direction', 'context-isolation'];
const repos: { cleanup(): void }[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

const bare = (to: string) => to.replace(/^node:/, '');

describe('dependency-cruiser.cjs and archfit check agree on import rules', () => {
  it.each(IMPORT_RULES)('%s fixture', async (ruleId) => {
    const repo = copyFixture(ruleId);
    repos.push(repo);
    if (ruleId === 'module-boundary') {
      // The workspace package, linked the way npm install links it.
      mkdirSync(path.join(repo.root, 'node_modules/@acme'), { recursive: true });
      symlinkSync('../../packages/billing', path.join(repo.root, 'node_modules/@acme/billing'));
    }
    const config = await loadConfig(repo.root);
    writeFileSync(path.join(repo.root, '.dependency-cruiser.json'), JSON.stringify(toDependencyCruiserConfig(config)));
    const dirs = ['src', ...(ruleId === 'module-boundary' ? ['packages'] : [])];
    const r = spawnSync(process.execPath, [depcruiseBin, '--config', '.dependency-cruiser.json', '--output-type', 'json', ...dirs], { cwd: repo.root, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/ERROR/);
    const cruised = JSON.parse(r.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
    const theirs = new Set(
      cruised.summary.violations.filter((v) => !v.rule.name.startsWith('no-module-cycle')).map((v) => `${v.rule.name.split('/')[0]} ${v.from} -> ${bare(v.to)}`),
    );

    const result = await runCheck({ root: repo.root, cache: false, noBaseline: true, only: IMPORT_RULES });
    const ours = new Set(
      result.violations.map((v) => {
        const edge = result.graph.outgoing.get(v.file)?.find((e) => e.line === v.line && e.column === v.column);
        return `${v.rule} ${v.file} -> ${bare(edge?.to ?? edge?.external ?? '?')}`;
      }),
    );
    expect([...theirs].sort()).toEqual([...ours].sort());
    expect(ours.size).toBeGreaterThan(0);
  });
});

describe('the root dependency-cruiser.cjs', () => {
  it('loads the root archfit.config.ts through the built package and agrees with archfit check on the reference app', async () => {
    const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
    const r = spawnSync(process.execPath, [depcruiseBin, '--config', 'dependency-cruiser.cjs', '--output-type', 'json', 'reference-app/src'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/ERROR/);
    const cruised = JSON.parse(r.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[]; totalCruised: number } };
    expect(cruised.summary.totalCruised).toBeGreaterThan(100);
    const theirs = cruised.summary.violations.filter((v) => IMPORT_RULES.includes(v.rule.name.split('/')[0]!)).map((v) => `${v.rule.name.split('/')[0]} ${v.from} -> ${bare(v.to)}`);
    const result = await runCheck({ root: repoRoot, cache: false, noBaseline: true, only: IMPORT_RULES });
    // depcruise cruised reference-app/src; the root config may scan more.
    const ours = result.violations.filter((v) => v.file.startsWith('reference-app/src/')).map((v) => {
      const edge = result.graph.outgoing.get(v.file)?.find((e) => e.line === v.line && e.column === v.column);
      return `${v.rule} ${v.file} -> ${bare(edge?.to ?? edge?.external ?? '?')}`;
    });
    expect([...new Set(theirs)].sort()).toEqual([...new Set(ours)].sort());
  });
});

describe('the bridge says what one tsconfig cannot carry', () => {
  it('with two workspaces whose `@/*` means different folders, the generated config names the tsconfigs it cannot carry and still runs', async () => {
    const { makeRepo } = await import('../support/tmp-repo.js');
    const { buildGraph } = await import('../../src/graph/build.js');
    const json = (x: unknown) => JSON.stringify(x);
    const repo = makeRepo({
      'package.json': json({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'apps/web/package.json': json({ name: '@mono/web', type: 'module' }),
      'apps/web/tsconfig.json': json({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', paths: { '@/*': ['./src/*'] } } }),
      'apps/web/src/index.ts': "import { a } from '@/a.js';\nexport const w = a;\n",
      'apps/web/src/a.ts': 'export const a = 1;\n',
      'apps/web/src/b.ts': 'export const b = 1;\n',
      'apps/api/package.json': json({ name: '@mono/api' }),
      'apps/api/tsconfig.json': json({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16', paths: { '@/*': ['./lib/*'] } } }),
      'apps/api/lib/index.ts': "import { x } from '@/x';\nexport const i = x;\n",
      'apps/api/lib/x.ts': 'export const x = 1;\n',
      'archfit.config.json': json({ modules: [{ glob: 'apps/*', publicEntries: ['package.json'] }] }),
    });
    repos.push(repo);
    const config = await loadConfig(repo.root);
    const { graph } = await buildGraph(config, { cache: false });
    const generated = toDependencyCruiserConfig(config, graph);
    expect(generated.options.tsConfig).toBeUndefined();
    const note = generated.forbidden.find((r) => r.name === 'archfit-bridge/not-expressed');
    expect(note?.comment).toContain('none is used; apps/api/tsconfig.json (2 files), apps/web/tsconfig.json (3 files) are not');
    expect(note?.comment).toContain('per-file module format');
    writeFileSync(path.join(repo.root, '.dependency-cruiser.json'), JSON.stringify(generated));
    const r = spawnSync(process.execPath, [depcruiseBin, '--config', '.dependency-cruiser.json', '--output-type', 'json', 'apps'], { cwd: repo.root, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(JSON.parse(r.stdout).summary.totalCruised).toBeGreaterThan(4);
  });
});

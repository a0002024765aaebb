import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLEAN_REPO, fixturesDir, makeRepo } from '../support/tmp-repo.js';

/** The built CLI, as users run it (`npm run build` first; `npm test` does). */
const bin = fileURLToPath(new URL('../../bin/archfit.js', import.meta.url));
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const fixture = (name: string) => path.join(fixturesDir, name);

const clean = makeRepo(CLEAN_REPO);
const badConfig = makeRepo({ ...CLEAN_REPO, 'archfit.config.json': JSON.stringify({ modules: [{ glob: 'src/nowhere/*' }] }) });
afterAll(() => [clean, badConfig].forEach((r) => r.cleanup()));

describe('archfit check (built CLI)', () => {
  it('exits 0 on a clean repository', () => {
    const r = run('check', clean.root, '--no-cache');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors');
  });

  it('exits 1 naming the rule, the file:line:col and the import, with why and fix', () => {
    const r = run('check', fixture('no-undeclared-module-dependency'), '--no-cache');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no-undeclared-module-dependency (error): 2 violations');
    expect(r.stdout).toContain('src/modules/orders/application/place-order.ts:2:29  import "../../identity/index.js"');
    expect(r.stdout).toMatch(/why: .+/);
    expect(r.stdout).toMatch(/fix: .+/);
  });

  it('exits 2 on a config error, naming the key', () => {
    const r = run('check', badConfig.root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('modules[0].glob: "src/nowhere/*" matches no folder');
  });

  it('exits 2 on an unknown format or flag', () => {
    expect(run('check', clean.root, '--format', 'xml').code).toBe(2);
    expect(run('check', clean.root, '--bogus').code).toBe(2);
  });

  it('--format json: a stable document', () => {
    const r = run('check', fixture('context-isolation'), '--no-cache', '--format', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'configFile', 'exitCode', 'summary', 'violations', 'baselined', 'exempted', 'staleBaseline', 'rules', 'timings']);
    expect(doc.summary).toMatchObject({ errors: 3, warnings: 0, baselined: 0, exempted: 0, staleBaseline: 0 });
    expect(Object.keys(doc.violations[0]).sort()).toEqual(['column', 'file', 'fix', 'from', 'line', 'message', 'rule', 'severity', 'to', 'why']);
  });

  it('--format github: one annotation per violation', () => {
    const r = run('check', fixture('no-module-cycle'), '--no-cache', '--format', 'github');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=src\/modules\/bidding\/api\/highest-bid\.ts,line=2,col=28,title=archfit no-module-cycle::modules bidding -> orders/m);
  });

  it('--format sarif: SARIF 2.1.0 with rule metadata and locations', () => {
    const r = run('check', fixture('public-api-leak'), '--no-cache', '--format', 'sarif');
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const runDoc = sarif.runs[0];
    expect(runDoc.tool.driver.name).toBe('archfit');
    expect(runDoc.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('public-api-leak');
    expect(runDoc.results).toHaveLength(2);
    expect(runDoc.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/modules/orders/index.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 15 },
    });
    expect(runDoc.results[0].partialFingerprints['archfitIdentity/v2']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--format junit: a failing test case per violation', () => {
    const r = run('check', fixture('layer-direction'), '--no-cache', '--format', 'junit');
    expect(r.stdout).toContain('<testsuite name="layer-direction" tests="4" failures="4">');
    expect(r.stdout).toContain('name="src/modules/orders/domain/order.ts:4:26"');
  });
});

describe('archfit modules', () => {
  it('--format json prints the resolved map exactly', () => {
    const r = run('modules', fixture('context-isolation'), '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      modules: [
        {
          name: 'orders',
          root: 'src/modules/orders',
          publicEntries: ['src/modules/orders/index.ts'],
          layers: [],
          allowedDependencies: [],
          // Shows the work: which tsconfig governs the files (this fixture has none) and what did not resolve.
          files: 4,
          tsconfigs: [{ tsconfig: '(none: built-in defaults)', files: 4 }],
          unresolvedImports: 0,
        },
      ],
      contexts: [
        { name: 'admin', root: 'src/contexts/admin' },
        { name: 'consumer', root: 'src/contexts/consumer' },
      ],
      outsideModules: { files: 2, tsconfigs: [{ tsconfig: '(none: built-in defaults)', files: 2 }], unresolvedImports: 0 },
      tsconfigProblems: [],
      skipped: [],
    });
  });

  it('exits 2 on an invalid config', () => {
    expect(run('modules', badConfig.root, '--format', 'json').code).toBe(2);
  });
});

describe('archfit graph', () => {
  it('marks violating edges in every format', () => {
    const mermaid = run('graph', fixture('no-module-cycle'), '--no-cache');
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toContain('flowchart LR');
    expect(mermaid.stdout).toMatch(/bidding -->\|"1 ✖ no-module-cycle"\| orders/);
    expect(mermaid.stdout).toContain('linkStyle');
    const dot = run('graph', fixture('no-module-cycle'), '--no-cache', '--format', 'dot').stdout;
    expect(dot).toMatch(/"bidding" -> "orders" \[label="1 ✖ no-module-cycle", color="#dd0000"/);
    expect(dot).toMatch(/"identity" -> "orders" \[label="1 type-only", style=dashed\]/);
    const svg = run('graph', fixture('no-module-cycle'), '--no-cache', '--format', 'svg').stdout;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('stroke="#d00"');
    const html = run('graph', fixture('no-module-cycle'), '--no-cache', '--format', 'html').stdout;
    expect(html).toContain('<tr class="bad"><td>bidding</td><td>orders</td>');
  });
});

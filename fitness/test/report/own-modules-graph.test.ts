import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, moduleGraph, runCheck, toMermaid, type ResolvedConfig } from '../../src/index.js';
import { REPO_ROOT } from '../adr/helpers.js';

/** archfit's own modules in archfit.config.ts: the stages under fitness/src and the load package. */
const isOwn = (root: string) => root.startsWith('fitness/src/') || root === 'load';

/**
 * The repository's config cut down to archfit's own modules (the reference app's sources,
 * modules, contexts and shared kernel left out), so the graph is built from ~250 files, not 350.
 */
async function ownConfig(): Promise<ResolvedConfig> {
  const { data: _data, ...full } = await loadConfig(REPO_ROOT);
  return {
    ...full,
    include: full.include.filter((glob) => !glob.startsWith('reference-app/')),
    modules: full.modules.filter((m) => isOwn(m.root)),
    contexts: [],
    sharedKernel: [],
  };
}

describe("archfit's own modules (docs/architecture.md)", () => {
  it('form no circle, depend only as declared, and the graph in the doc is the one archfit draws', async () => {
    const config = await ownConfig();
    expect(config.modules.map((m) => m.name).sort()).toEqual(['adr', 'cache', 'cli', 'config', 'graph', 'init', 'load', 'report', 'rules', 'site', 'triggers']);
    // config/ comes first: it may use the cache and nothing else (the rule list is handed in).
    expect(config.modules.find((m) => m.name === 'config')?.allowedDependencies).toEqual(['cache']);
    const result = await runCheck({ root: REPO_ROOT, config, cache: false, noBaseline: true, only: ['no-module-cycle', 'no-undeclared-module-dependency'] });
    expect(result.violations.map((v) => `${v.rule} ${v.file}: ${v.message}`)).toEqual([]);
    expect(result.exempted.filter((e) => ['no-module-cycle', 'no-undeclared-module-dependency'].includes(e.violation.rule))).toEqual([]);

    const drawn = toMermaid(moduleGraph(config, result.graph, result.violations));
    const doc = await readFile(path.join(REPO_ROOT, 'docs/architecture.md'), 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, 'docs/architecture.md has no mermaid block').toBeDefined();
    expect(block, "the graph in docs/architecture.md is stale: paste archfit's own lines of `npx archfit graph` (the block this test expects)").toBe(drawn);
  });
});

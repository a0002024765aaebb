import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { buildGraph } from '../../src/graph/build.js';
import { CLEAN_REPO, makeRepo } from '../support/tmp-repo.js';

/** After a large cold build the garbage of parsing and resolving is collected before the rules run (cold peak memory at 10k files). */
const repo = makeRepo(CLEAN_REPO);
const saved = (globalThis as { gc?: () => void }).gc;
afterAll(() => {
  (globalThis as { gc?: () => void }).gc = saved;
  repo.cleanup();
});

describe('graph memory', () => {
  it('collects garbage once when enough files were parsed or resolved, never on a small or cached run', async () => {
    const gc = vi.fn();
    (globalThis as { gc?: () => void }).gc = gc;
    const config = await loadConfig(repo.root);
    await buildGraph(config, { cache: false });
    expect(gc).not.toHaveBeenCalled();
    await buildGraph(config, { cache: true, collectAfter: 3 });
    expect(gc).toHaveBeenCalledTimes(1);
    // Cached: nothing parsed or resolved, nothing to collect.
    await buildGraph(config, { cache: true, collectAfter: 3 });
    expect(gc).toHaveBeenCalledTimes(1);
  });
});

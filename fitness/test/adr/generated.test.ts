import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAdrCollection, renderGraph, renderIndex } from '../../src/adr/index.js';
import { REPO_ROOT } from './helpers.js';

// Generated views are committed so they read on GitHub; these tests fail when they go stale.
describe('generated ADR views are current', () => {
  it('adr/README.md is what `archfit adr index` writes', async () => {
    const { records } = await loadAdrCollection(REPO_ROOT, 'adr');
    const committed = await readFile(path.join(REPO_ROOT, 'adr/README.md'), 'utf8');
    expect(committed, 'adr/README.md is stale: run `npx archfit adr index`').toBe(renderIndex(records));
  });

  it('the decision graph in docs/adr.md is what `archfit adr graph` prints', async () => {
    const { records } = await loadAdrCollection(REPO_ROOT, 'adr');
    const guide = await readFile(path.join(REPO_ROOT, 'docs/adr.md'), 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(block, 'docs/adr.md has no mermaid block').toBeDefined();
    expect(block, 'the graph in docs/adr.md is stale: paste the output of `npx archfit adr graph`').toBe(renderGraph(records));
  });
});

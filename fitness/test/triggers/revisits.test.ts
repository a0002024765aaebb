import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateTriggers } from '../../src/triggers/index.js';
import { evidenceTimestamp } from '../../src/triggers/evidence-store.js';
import { unansweredFiredTriggers } from '../../src/triggers/revisits.js';
import { adr, dauTrigger, makeEvidence, makeRepo } from './helpers.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

async function unanswered(adrs: Array<{ file: string; frontMatter: Record<string, unknown> }>): Promise<string[]> {
  const root = await makeRepo({ adrs, evidence: [{ doc: makeEvidence('dau', { dau_capacity: 100 }, fired) }] });
  roots.push(root);
  const r = await evaluateTriggers({ root, adrDir: 'adr', resultsDir: 'load/results', scenariosDir: 'load/scenarios', evidenceMaxAgeDays: 30, modules: [] });
  return unansweredFiredTriggers(r.triggers, r.declared, r.records).map((u) => u.result.id);
}

const fired = new Date(Date.now() - 60_000);
const revisit = (revisits: unknown) => ({ status: 'accepted', date: '2026-11-02', 'decision-makers': ['x'], revisits });

describe('revisit-required: which fired triggers are answered', () => {
  it('a fired trigger with no revisit is unanswered', async () => {
    expect(await unanswered([{ file: '0001-a.md', frontMatter: adr([dauTrigger]) }])).toEqual(['sustained-dau']);
  });

  it('a later ADR revisiting the record plainly answers none of its firings: it must name the trigger and cite the evidence', async () => {
    expect(await unanswered([{ file: '0001-a.md', frontMatter: adr([dauTrigger]) }, { file: '0002-b.md', frontMatter: revisit([1]) }])).toEqual(['sustained-dau']);
  });

  it('an accepted revisit naming the trigger and citing the evidence that fired it answers it', async () => {
    const file = `load/results/dau-${evidenceTimestamp(fired)}.json`;
    expect(await unanswered([{ file: '0001-a.md', frontMatter: adr([dauTrigger]) }, { file: '0002-b.md', frontMatter: { ...revisit([{ adr: 1, trigger: 'sustained-dau', evidence: file }]), date: '2099-01-01' } }])).toEqual([]);
  });

  it('a revisit naming another trigger does not answer this one', async () => {
    expect(await unanswered([{ file: '0001-a.md', frontMatter: adr([dauTrigger]) }, { file: '0002-b.md', frontMatter: revisit([{ adr: 1, trigger: 'other' }]) }])).toEqual(['sustained-dau']);
  });

  it('an earlier-numbered record cannot answer a later decision', async () => {
    expect(await unanswered([{ file: '0001-b.md', frontMatter: revisit([2]) }, { file: '0002-a.md', frontMatter: adr([dauTrigger]) }])).toEqual(['sustained-dau']);
  });
});

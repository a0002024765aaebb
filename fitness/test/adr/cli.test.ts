import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdr, lintAdrs, loadAdrCollection, STABLE_RULE_IDS } from '../../src/adr/index.js';
import { copyFixture, FIXTURES, runCli } from './helpers.js';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function temp(name: string): Promise<string> {
  const dir = await copyFixture(name);
  temps.push(dir);
  return dir;
}
const at = (fixture: string) => ['--root', path.join(FIXTURES, fixture), '--dir', 'adr', '--scenarios', 'load/scenarios'];

describe('archfit adr lint exit codes', () => {
  it('exits 0 on a clean collection', async () => {
    const run = await runCli(['adr', 'lint', ...at('clean')]);
    expect(run).toMatchObject({ code: 0, stdout: '4 records in adr: no findings\n' });
  });

  it('exits 1 on findings and prints file:line, the check, the message and the fix', async () => {
    const run = await runCli(['adr', 'lint', ...at('missing-inverse')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('adr/0002-second.md:5: [missing-inverse] supersedes names 0001-first.md, but its superseded-by does not list 0002\n    fix: Add 2 to superseded-by in adr/0001-first.md.\n');
  });

  it('exits 2 on unreadable YAML, naming the file and line', async () => {
    const run = await runCli(['adr', 'lint', ...at('unreadable-yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('adr/0002-second.md:5: [unreadable] front matter is not valid YAML');
  });

  it('exits 2 when the ADR directory does not exist', async () => {
    const run = await runCli(['adr', 'lint', '--root', FIXTURES, '--dir', 'no-such-dir', '--scenarios', 'none']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no-such-dir:1: [unreadable] cannot read the ADR directory: ENOENT');
  });

  it('prints JSON with --json', async () => {
    const run = await runCli(['adr', 'lint', ...at('bad-status'), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ records: 1, findings: [{ code: 'invalid-status', file: 'adr/0001-first.md', line: 2 }], unreadable: [] });
  });
});

describe('archfit adr new', () => {
  it('takes the next free number, writes the MADR template as proposed, and the result lints clean', async () => {
    const root = await temp('clean');
    const run = await runCli(['adr', 'new', 'Move notifications to a worker', '--date', '2026-02-01', '--decision-maker', 'architect', ...['--root', root, '--dir', 'adr']]);
    expect(run).toMatchObject({ code: 0, stdout: 'adr/0005-move-notifications-to-a-worker.md\n' });
    const text = await readFile(path.join(root, 'adr/0005-move-notifications-to-a-worker.md'), 'utf8');
    expect(text).toMatch(/^---\nstatus: proposed\ndate: 2026-02-01\ndecision-makers: \["architect"\]\n/);
    for (const heading of ['# Move notifications to a worker', '## Context and Problem Statement', '## Considered Options', '## Decision Outcome', '### Consequences', '### Confirmation', '## Pros and Cons of the Options', '## More Information']) {
      expect(text).toContain(`\n${heading}\n`);
    }
    const lint = await lintAdrs({ root, dir: 'adr', scenariosDir: 'load/scenarios', ruleIds: STABLE_RULE_IDS });
    expect(lint.findings).toEqual([]);
  });

  it('--supersedes N links both records, and lint then asks to retire the predecessor only once the successor is accepted', async () => {
    const root = await temp('clean');
    const created = await createAdr({ root, dir: 'adr', title: 'Newer shape', supersedes: 3, date: '2026-03-01', decisionMakers: ['architect'] });
    expect(created).toEqual({ number: 5, file: 'adr/0005-newer-shape.md', updated: ['adr/0003-new-shape.md'] });
    const { records } = await loadAdrCollection(root, 'adr');
    const byNumber = new Map(records.map((r) => [r.number, r.data as Record<string, unknown>]));
    expect(byNumber.get(5)).toMatchObject({ status: 'proposed', supersedes: [3] });
    expect(byNumber.get(3)).toMatchObject({ status: 'accepted', 'superseded-by': [5], supersedes: [2] });
    // The predecessor keeps its other fields and its layout.
    expect(await readFile(path.join(root, 'adr/0003-new-shape.md'), 'utf8')).toMatch(/^---\nstatus: accepted\ndate: 2026-01-01\ndecision-makers: \[architect\]\nsupersedes: \[2\]\nconfirmation: \[module-boundary\]\nsuperseded-by: \[5\]\n---\n\n# New shape\n/);
    const lint = () => lintAdrs({ root, dir: 'adr', scenariosDir: 'load/scenarios', ruleIds: STABLE_RULE_IDS });
    expect((await lint()).findings).toEqual([]);

    const successor = path.join(root, 'adr/0005-newer-shape.md');
    await writeFile(successor, (await readFile(successor, 'utf8')).replace('status: proposed', 'status: accepted').replace('confirmation: []', 'confirmation: [module-boundary]'));
    expect((await lint()).findings).toEqual([expect.objectContaining({ code: 'predecessor-not-superseded', file: 'adr/0005-newer-shape.md' })]);
  });

  it('refuses to supersede a record that does not exist (exit 2) and writes nothing', async () => {
    const root = await temp('clean');
    const run = await runCli(['adr', 'new', 'Something', '--supersedes', '9', '--root', root, '--dir', 'adr']);
    expect(run).toMatchObject({ code: 2, stderr: 'archfit adr new: there is no ADR 0009 to supersede\n' });
    expect((await loadAdrCollection(root, 'adr')).records).toHaveLength(4);
  });
});

describe('archfit adr list and graph', () => {
  it('lists number, status, date and title', async () => {
    const run = await runCli(['adr', 'list', ...at('clean')]);
    expect(run.stdout.split('\n')[1]).toBe('0002  superseded  2026-01-02  Old shape');
  });

  it('draws supersede and revisit edges and trigger nodes in Mermaid', async () => {
    const run = await runCli(['adr', 'graph', ...at('clean')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^flowchart LR\n/);
    expect(run.stdout).toContain('  adr0003 -->|supersedes| adr0002\n');
    expect(run.stdout).toContain('  adr0004 -.->|revisits| adr0001\n');
    expect(run.stdout).toContain('  trigger_sustained_dau{{"sustained-dau<br/>dau_capacity #lt; 10000 users/day for 7d"}}:::trigger\n');
    expect(run.stdout).toContain('  adr0001 -.-o trigger_sustained_dau\n');
  });
});

describe('archfit adr revisit', () => {
  it('is wired under `adr` (the command itself is the triggers side\'s): an unknown trigger is exit 2', async () => {
    const run = await runCli(['adr', 'revisit', 'no-such-trigger', '--root', path.join(FIXTURES, 'adr-valid')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('archfit adr revisit: no revisit trigger "no-such-trigger"');
  });
});

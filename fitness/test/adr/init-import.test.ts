import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAdrTools, lintAdrs, loadAdrCollection, STABLE_RULE_IDS } from '../../src/adr/index.js';
import { runCli } from './helpers.js';

const temp = () => mkdtemp(path.join(os.tmpdir(), 'archfit-adr-init-'));
const lint = (root: string, dir = 'adr') => lintAdrs({ root, dir, scenariosDir: 'load/scenarios', ruleIds: STABLE_RULE_IDS });

/**
 * An adr-tools collection as `adr new -s` and `adr new -l` write it: `# N. Title`, `Date:`,
 * a Status section with the status word and one line per link. Every fifth record is
 * superseded by the next; every seventh amends the first; every sixth clarifies its predecessor.
 */
function adrToolsCollection(count: number): Map<string, string> {
  const title = (n: number) => (n === 1 ? 'Record architecture decisions' : `Decision number ${n} about part ${String.fromCharCode(96 + (n % 26 || 26))}`);
  const slug = (n: number) => title(n).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const file = (n: number) => `${String(n).padStart(4, '0')}-${slug(n)}.md`;
  const link = (verb: string, n: number) => `${verb} [${n}. ${title(n)}](${file(n)})`;
  const status = new Map<number, string[]>();
  for (let n = 1; n <= count; n++) status.set(n, ['Accepted']);
  for (let n = 5; n < count; n += 5) {
    status.set(n, status.get(n)!.filter((l) => l !== 'Accepted'));
    status.get(n)!.push(link('Superseded by', n + 1));
    status.get(n + 1)!.push(link('Supersedes', n));
  }
  for (let n = 7; n <= count; n += 7) {
    status.get(n)!.push(link('Amends', 1));
    status.get(1)!.push(link('Amended by', n));
  }
  for (let n = 6; n <= count; n += 6) {
    status.get(n)!.push(link('Clarifies', n - 1));
    status.get(n - 1)!.push(link('Clarified by', n));
  }
  status.get(3)!.push(link('Relates to', 2));
  const files = new Map<string, string>();
  for (let n = 1; n <= count; n++) {
    files.set(
      file(n),
      `# ${n}. ${title(n)}\n\nDate: 2020-0${1 + (n % 9)}-1${n % 10}\n\n## Status\n\n${status.get(n)!.join('\n\n')}\n\n## Context\n\nThe forces on decision ${n}.\n\n## Decision\n\nWe will do ${n}.\n\n## Consequences\n\nWhat follows from ${n}.\n`,
    );
  }
  return files;
}

describe('archfit adr import (adr-tools, Nygard format)', () => {
  it('converts a 20-record collection with supersede, amend, clarify and free links, and the result lints clean', async () => {
    const root = await temp();
    await mkdir(path.join(root, 'doc/adr'), { recursive: true });
    for (const [name, text] of adrToolsCollection(20)) await writeFile(path.join(root, 'doc/adr', name), text);
    await writeFile(path.join(root, '.adr-dir'), 'doc/adr\n');

    const result = await importAdrTools({ root, dir: 'adr', decisionMakers: ['architect'] });
    expect(result.from).toBe('doc/adr');
    expect(result.records).toHaveLength(20);
    expect(result.written).toContain('adr/template.md');
    // The one link type archfit does not type is kept as text, and said so.
    expect(result.notes).toEqual(['doc/adr/0003-decision-number-3-about-part-c.md: link "Relates to" is not a relation archfit types (supersedes, amends, clarifies); kept as text']);

    const lintResult = await lint(root);
    expect(lintResult.unreadable).toEqual([]);
    expect(lintResult.findings).toEqual([]);
    const data = new Map((await loadAdrCollection(root, 'adr')).records.map((r) => [r.number, r.data as Record<string, unknown>]));
    expect(data.get(5)).toMatchObject({ status: 'superseded', 'superseded-by': [6], date: '2020-06-15' });
    expect(data.get(6)).toMatchObject({ status: 'accepted', supersedes: [5], clarifies: [5] });
    expect(data.get(1)).toMatchObject({ 'amended-by': [7, 14] });
    expect(data.get(14)).toMatchObject({ amends: [1] });
    const text = await readFile(path.join(root, 'adr/0003-decision-number-3-about-part-c.md'), 'utf8');
    expect(text).toContain('Relates to [2. Decision number 2 about part b](0002-decision-number-2-about-part-b.md)');
    expect(text.match(/^## Status$/gm)).toHaveLength(1);
    expect(text).toMatch(/^---\nstatus: accepted\ndate: 2020-04-13\ndecision-makers: \["architect"\]\n---\n\n# 0003\. Decision number 3 about part c\n\n## Status\n\nAccepted\n/);

    // The lint still catches a broken import: drop an inverse link by hand.
    const six = path.join(root, 'adr/0006-decision-number-6-about-part-f.md');
    await writeFile(six, (await readFile(six, 'utf8')).replace('clarifies: [5]\n', ''));
    expect((await lint(root)).findings.map((f) => [f.code, f.file])).toEqual([['missing-inverse', 'adr/0005-decision-number-5-about-part-e.md']]);
  });

  it('restores an inverse link a hand edit dropped, and says so', async () => {
    const root = await temp();
    const files = adrToolsCollection(6);
    await mkdir(path.join(root, 'decisions'));
    for (const [name, text] of files) {
      await writeFile(path.join(root, 'decisions', name), name.startsWith('0006') ? text.replace(/\n\nSupersedes \[5[^\n]*/, '') : text);
    }
    const result = await importAdrTools({ root, from: 'decisions', dir: 'adr' });
    expect(result.notes).toContain('decisions: record 6 lacked the "supersedes" link back to 5; added');
    expect((await lint(root)).findings).toEqual([]);
  });

  it('refuses a missing source directory (exit 2) and a target that already holds the records', async () => {
    const root = await temp();
    expect(await runCli(['adr', 'import', '--root', root, '--dir', 'adr', '--from', 'nowhere'])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read the adr-tools directory nowhere: ENOENT') });
    await mkdir(path.join(root, 'doc/adr'), { recursive: true });
    for (const [name, text] of adrToolsCollection(3)) await writeFile(path.join(root, 'doc/adr', name), text);
    expect((await runCli(['adr', 'import', '--root', root, '--dir', 'adr'])).code).toBe(0);
    expect(await runCli(['adr', 'import', '--root', root, '--dir', 'adr'])).toMatchObject({ code: 2, stderr: expect.stringContaining('already exists: import into an empty directory') });
  });
});

describe('archfit adr init', () => {
  it('starts a MADR log whose first record lints clean, and refuses to run twice', async () => {
    const root = await temp();
    const run = await runCli(['adr', 'init', '--root', root, '--dir', 'docs/decisions', '--date', '2026-01-01']);
    expect(run).toMatchObject({ code: 0, stdout: 'docs/decisions/0001-record-architecture-decisions.md\ndocs/decisions/README.md\n' });
    expect((await lint(root, 'docs/decisions')).findings).toEqual([]);
    expect(await runCli(['adr', 'init', '--root', root, '--dir', 'docs/decisions'])).toMatchObject({ code: 2, stderr: expect.stringContaining('already holds 1 record(s)') });
  });

  it('with --template nygard writes template.md, and adr new then uses it and lints against it', async () => {
    const root = await temp();
    expect((await runCli(['adr', 'init', '--root', root, '--dir', 'adr', '--template', 'nygard', '--date', '2026-01-01'])).code).toBe(0);
    const created = await runCli(['adr', 'new', 'Use queues', '--root', root, '--dir', 'adr', '--date', '2026-01-02', '--decision-maker', 'architect']);
    expect(created.stdout).toBe('adr/0002-use-queues.md\n');
    const text = await readFile(path.join(root, 'adr/0002-use-queues.md'), 'utf8');
    expect(text).toContain('# 2. Use queues\n\n## Status\n\nProposed\n');
    expect((await lint(root)).findings).toEqual([]);
    await writeFile(path.join(root, 'adr/0002-use-queues.md'), text.replace(/## Consequences[\s\S]*$/, ''));
    expect((await lint(root)).findings.map((f) => [f.code, f.message])).toEqual([['missing-section', 'the record has no "## Consequences" section']]);
  });
});

describe('archfit adr new --edit', () => {
  it('opens $EDITOR on the new record and waits for it; without an editor it says what to set (exit 2)', async () => {
    const root = await temp();
    await runCli(['adr', 'init', '--root', root, '--dir', 'adr']);
    const editor = path.join(root, 'fake-editor.sh');
    await writeFile(editor, '#!/bin/sh\nprintf "\\nEdited by the editor.\\n" >> "$1"\n');
    await chmod(editor, 0o755);
    const saved = { EDITOR: process.env.EDITOR, VISUAL: process.env.VISUAL };
    try {
      delete process.env.VISUAL;
      process.env.EDITOR = editor;
      const run = await runCli(['adr', 'new', 'Edited one', '--edit', '--root', root, '--dir', 'adr']);
      expect(run.code).toBe(0);
      expect(await readFile(path.join(root, 'adr/0002-edited-one.md'), 'utf8')).toMatch(/Edited by the editor\.\n$/);
      delete process.env.EDITOR;
      expect(await runCli(['adr', 'new', 'Not edited', '--edit', '--root', root, '--dir', 'adr'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--edit needs $VISUAL or $EDITOR') });
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });
});

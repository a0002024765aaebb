import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAcceptedUnchanged, loadAdrCollection } from '../../src/adr/index.js';
import { runCli } from './helpers.js';

const run = promisify(execFile);
let repo: string;
const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: repo });
const body = (title: string, outcome: string) =>
  `# ${title}\n\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n- One.\n- Two.\n\n## Decision Outcome\n\n${outcome}\n`;
const front = (fields: string) => `---\n${fields}\ndecision-makers: [architect]\n---\n\n`;
const FIRST = 'adr/0001-use-one-database.md';
const accepted = (extra = '', outcome = 'Chosen option: "One", because it is simpler to run.') =>
  `${front(`status: accepted\ndate: 2026-01-01\nconfirmation: ["test:adr/0001-use-one-database.md"]${extra}`)}${body('Use one database', outcome)}`;

async function commitAll(message: string): Promise<void> {
  await git('add', '-A');
  await git('commit', '-q', '-m', message);
}

async function findings(ref = 'HEAD') {
  const { records } = await loadAdrCollection(repo, 'adr');
  return checkAcceptedUnchanged(repo, 'adr', ref, records);
}

// One accepted record committed; each test edits the tree and compares with HEAD, as
// `adr lint --against HEAD~1` does in CI once the edit is the newest commit.
beforeEach(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'archfit-adr-accepted-'));
  await git('init', '-q');
  await mkdir(path.join(repo, 'adr'));
  await writeFile(path.join(repo, FIRST), accepted());
  await commitAll('accept 0001');
});
afterEach(() => rm(repo, { recursive: true, force: true }));

describe('adr lint --against: an accepted record is not rewritten', () => {
  it('flags an edited decision in the body of a record accepted on the ref', async () => {
    await writeFile(path.join(repo, FIRST), accepted('', 'Chosen option: "Two", because it scales.'));
    const found = await findings();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'accepted-record-edited', file: FIRST, line: 8 });
    expect(found[0]!.message).toBe('0001 was accepted on HEAD and the body changed since, with no new record that amends, clarifies, revisits or supersedes it');
    expect(found[0]!.fix).toContain('amends: [1]');
  });

  it('flags decision-bearing front matter (a trigger, the modules, a removed confirmation), not a reflowed paragraph', async () => {
    await writeFile(path.join(repo, FIRST), accepted().replace('because it is simpler to run.', 'because it is\nsimpler   to run.'));
    expect(await findings()).toEqual([]);
    await writeFile(path.join(repo, FIRST), accepted('\nmodules: [orders]'));
    expect((await findings()).map((f) => f.message)).toEqual(['0001 was accepted on HEAD and `modules` changed since, with no new record that amends, clarifies, revisits or supersedes it']);
    await writeFile(path.join(repo, FIRST), accepted().replace('confirmation: ["test:adr/0001-use-one-database.md"]', 'confirmation: []'));
    expect((await findings()).map((f) => f.message)).toEqual(['0001 was accepted on HEAD and `confirmation` changed since, with no new record that amends, clarifies, revisits or supersedes it']);
  });

  it('lets later records do what they must: inverse links, superseded with its date, a confirmation added', async () => {
    await writeFile(path.join(repo, FIRST), accepted().replace('confirmation: ["test:adr/0001-use-one-database.md"]', 'confirmation: ["test:adr/0001-use-one-database.md", no-module-cycle]'));
    expect(await findings()).toEqual([]);
    await writeFile(path.join(repo, FIRST), accepted('\nsuperseded-by: [2]').replace('status: accepted\ndate: 2026-01-01', 'status: superseded\ndate: 2026-02-01'));
    expect(await findings()).toEqual([]);
  });

  it('an edit that comes with a new record amending the accepted one passes', async () => {
    await writeFile(path.join(repo, FIRST), accepted('\namended-by: [2]', 'Chosen option: "One", because it is simpler to run (amended by 0002: and to back up).'));
    await writeFile(path.join(repo, 'adr/0002-back-up-the-database.md'), `${front('status: accepted\ndate: 2026-02-01\namends: [1]\nconfirmation: ["test:adr/0002-back-up-the-database.md"]')}${body('Back up the database', 'Chosen option: "One".')}`);
    expect(await findings()).toEqual([]);
    // The same edit once the link already existed on the ref is an unexplained rewrite.
    await commitAll('0002 amends 0001');
    await writeFile(path.join(repo, FIRST), (await readFile(path.join(repo, FIRST), 'utf8')).replace('and to back up', 'and to back up nightly'));
    expect((await findings()).map((f) => f.code)).toEqual(['accepted-record-edited']);
  });

  it('a proposed record may change freely', async () => {
    await writeFile(path.join(repo, 'adr/0002-cache-nothing.md'), `${front('status: proposed\ndate: 2026-02-01')}${body('Cache nothing', 'Undecided.')}`);
    await commitAll('propose 0002');
    await writeFile(path.join(repo, 'adr/0002-cache-nothing.md'), `${front('status: proposed\ndate: 2026-02-02')}${body('Cache nothing', 'Chosen option: "One".')}`);
    expect(await findings()).toEqual([]);
  });

  it('the CLI run by CI (`adr lint --against HEAD~1`) exits 1 when the newest commit rewrote an accepted record', async () => {
    await writeFile(path.join(repo, FIRST), accepted('', 'Chosen option: "Two", because it scales.'));
    await commitAll('rewrite 0001');
    const base = ['--root', repo, '--dir', 'adr', '--scenarios', 'load/scenarios'];
    const res = await runCli(['adr', 'lint', ...base, '--against', 'HEAD~1']);
    expect(res.stdout).toContain('adr/0001-use-one-database.md:8: [accepted-record-edited] 0001 was accepted on HEAD~1 and the body changed since');
    expect(res.code).toBe(1);
    expect((await runCli(['adr', 'lint', ...base, '--against', 'HEAD'])).code).toBe(0);
  });
});

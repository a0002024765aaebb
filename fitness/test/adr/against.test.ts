import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgainstRef, GitRefError, loadAdrCollection } from '../../src/adr/index.js';
import { runCli } from './helpers.js';

const run = promisify(execFile);
let repo: string;
const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: repo });
const sections = '\n## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n- One.\n\n## Decision Outcome\n\nOne.\n';
const record = (title: string) => `---\nstatus: proposed\ndate: 2026-01-01\ndecision-makers: [architect]\n---\n\n# ${title}\n${sections}`;

// Two branches each take "the next number": main merges 0002-use-queues, the feature branch
// has 0002-use-events. Git would merge them without a conflict.
beforeAll(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'archfit-adr-against-'));
  await git('init', '-q');
  await mkdir(path.join(repo, 'adr'));
  await writeFile(path.join(repo, 'adr/0001-record-decisions.md'), record('Record decisions'));
  await git('add', '.');
  await git('commit', '-q', '-m', 'first');
  await git('checkout', '-q', '-b', 'feature');
  await writeFile(path.join(repo, 'adr/0002-use-events.md'), record('Use events'));
  await git('add', '.');
  await git('commit', '-q', '-m', 'feature adr');
  await git('checkout', '-q', 'main');
  await writeFile(path.join(repo, 'adr/0002-use-queues.md'), record('Use queues'));
  await git('add', '.');
  await git('commit', '-q', '-m', 'main adr');
  await git('checkout', '-q', 'feature');
});
afterAll(() => rm(repo, { recursive: true, force: true }));

describe('adr lint --against <git-ref>', () => {
  it('flags a record whose number exists on the ref under another file name', async () => {
    const { records } = await loadAdrCollection(repo, 'adr');
    expect(await checkAgainstRef(repo, 'adr', 'main', records)).toEqual([
      {
        code: 'number-taken-on-ref',
        file: 'adr/0002-use-events.md',
        line: 1,
        message: 'number 0002 is already 0002-use-queues.md on main',
        fix: 'Renumber this record to 0003: rename the file and update the links that point at it.',
      },
    ]);
  });

  it('passes against a ref where the number is the same file', async () => {
    const { records } = await loadAdrCollection(repo, 'adr');
    expect(await checkAgainstRef(repo, 'adr', 'feature', records)).toEqual([]);
  });

  it('does not mistake a record renamed on this branch for a collision', async () => {
    await git('mv', 'adr/0001-record-decisions.md', 'adr/0001-record-architecture-decisions.md');
    await writeFile(path.join(repo, 'adr/0001-record-architecture-decisions.md'), record('Record architecture decisions'));
    await git('commit', '-q', '-am', 'retitle 0001');
    const { records } = await loadAdrCollection(repo, 'adr');
    const findings = await checkAgainstRef(repo, 'adr', 'main', records);
    expect(findings.map((f) => f.file)).toEqual(['adr/0002-use-events.md']);
  });

  it('the CLI exits 1 on the collision (the tree alone is clean) and 2 on an unknown ref', async () => {
    const base = ['--root', repo, '--dir', 'adr', '--scenarios', 'load/scenarios'];
    expect((await runCli(['adr', 'lint', ...base])).code).toBe(0);
    const collided = await runCli(['adr', 'lint', ...base, '--against', 'main']);
    expect(collided.code).toBe(1);
    expect(collided.stdout).toContain('adr/0002-use-events.md:1: [number-taken-on-ref] number 0002 is already 0002-use-queues.md on main');
    const bad = await runCli(['adr', 'lint', ...base, '--against', 'no-such-branch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"no-such-branch" is not a commit');
    await expect(checkAgainstRef(repo, 'adr', 'no-such-branch', [])).rejects.toBeInstanceOf(GitRefError);
  });
});

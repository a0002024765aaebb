import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generateSite, SITE_MARKER } from '../../src/site/generate.js';
import { FIXED_NOW, makeShop } from './helpers.js';

let repo: string;
let work: string;

beforeAll(async () => {
  repo = await makeShop();
  work = await mkdtemp(path.join(tmpdir(), 'archfit-site-det-'));
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

async function tree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, abs), await readFile(abs));
  }
  return out;
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  try {
    return { code: await main(['node', 'archfit', 'site', ...args]), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('archfit site output', () => {
  it('is byte-identical for the same inputs (no generation time, everything sorted)', async () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    await generateSite({ root: repo, out: a, now: FIXED_NOW, cache: false });
    await generateSite({ root: repo, out: b, now: FIXED_NOW, cache: false });
    const [ta, tb] = [await tree(a), await tree(b)];
    expect([...ta.keys()].sort()).toEqual([...tb.keys()].sort());
    expect(ta.size).toBeGreaterThan(15);
    for (const [file, bytes] of ta) expect(bytes.equals(tb.get(file)!), file).toBe(true);
  }, 120_000);

  it('gives the same bytes from the cache (second run parses nothing) as without it', async () => {
    const plain = path.join(work, 'plain');
    const cached = path.join(work, 'cached');
    await generateSite({ root: repo, out: plain, now: FIXED_NOW, cache: false });
    await generateSite({ root: repo, out: path.join(work, 'warm-up'), now: FIXED_NOW, cache: true });
    expect((await readdir(path.join(repo, '.archfit-cache', 'rules'))).sort()).toEqual(expect.arrayContaining(['site-migrations.json', 'site-module-facts.json', 'site-services.json']));
    await generateSite({ root: repo, out: cached, now: FIXED_NOW, cache: true });
    const [tp, tc] = [await tree(plain), await tree(cached)];
    expect([...tc.keys()].sort()).toEqual([...tp.keys()].sort());
    for (const [file, bytes] of tp) expect(bytes.equals(tc.get(file)!), file).toBe(true);
  }, 180_000);

  it('replaces a previous site in place, without stale pages', async () => {
    const out = path.join(work, 'again');
    await generateSite({ root: repo, out, now: FIXED_NOW, cache: false });
    await writeFile(path.join(out, 'stale.html'), 'old');
    await generateSite({ root: repo, out, now: FIXED_NOW, cache: false });
    expect((await tree(out)).has('stale.html')).toBe(false);
  }, 120_000);

  it('the command writes the site and exits 0', async () => {
    const out = path.join(work, 'cli');
    const r = await cli(repo, '-o', out, '--no-cache');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/archfit site: wrote \d+ files/);
    expect((await tree(out)).has(SITE_MARKER)).toBe(true);
  }, 120_000);

  it('refuses (exit 2) to replace a folder it did not write, and leaves it alone', async () => {
    const out = path.join(work, 'someone-elses');
    await mkdir(out);
    await writeFile(path.join(out, 'notes.txt'), 'keep me');
    const r = await cli(repo, '-o', out, '--no-cache');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty and was not written by archfit site/);
    expect(await readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('keep me');
  }, 60_000);

  it('still writes the site but exits 2 when part of the input could not be read (an ADR with broken YAML)', async () => {
    const broken = await makeShop();
    try {
      await writeFile(path.join(broken, 'adr', '0004-broken.md'), '---\nstatus: [accepted\n---\n\n# Broken\n');
      const out = path.join(work, 'broken');
      const r = await cli(broken, '-o', out, '--no-cache');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/could not read: adr\/0004-broken\.md:\d+: front matter is not valid YAML/);
      expect(await readFile(path.join(out, 'index.html'), 'utf8')).toContain('0004-broken.md');
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  }, 120_000);

  it('rejects an --app-url that is not http(s) with exit 2', async () => {
    const r = await cli(repo, '-o', path.join(work, 'x'), '--app-url', 'ftp://nowhere');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--app-url must be an http\(s\) URL/);
  }, 60_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

describe('archfit load', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exits 2 outside a repository that has the load runner', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archfit-noload-'));
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    try {
      expect(await main(['node', 'archfit', 'load', '--root', dir])).toBe(2);
      expect(err).toMatch(/no load\/runner\/main\.ts at or above/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes the runner\'s usage error through as exit 2', async () => {
    // The runner is a child process; an unknown scenario is refused before anything starts.
    expect(await main(['node', 'archfit', 'load', 'no-such-scenario', '--root', repoRoot])).toBe(2);
  }, 60_000);
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../runner/main.js';

// Usage errors exit 2 before anything starts (no database, no app).
describe('npm run load / archfit load: bad input', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const run = async (args: string[]) => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(args);
    vi.restoreAllMocks();
    return { code, err };
  };

  it('refuses an unknown scenario, naming the known ones', async () => {
    const { code, err } = await run(['nope']);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown scenario nope; known: dau, write-contention, compute-latency/);
  });

  it('refuses an unknown runner and profile', async () => {
    expect((await run(['--runner', 'wrk'])).code).toBe(2);
    expect((await run(['--profile', 'huge'])).code).toBe(2);
  });

  it('says plainly when --runner k6 has no k6 on PATH', async () => {
    vi.stubEnv('PATH', '/nonexistent');
    const { code, err } = await run(['dau', '--runner', 'k6']);
    expect(code).toBe(2);
    expect(err).toMatch(/needs the k6 binary on PATH and there is none/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../bench/generate.js';
import { runCheck } from '../../src/rules/run.js';

/** The generated benchmark repository gives data-ownership real work: a migration per module, queries in every adapter, one cross-schema read. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'archfit-bench-sql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench repository SQL', () => {
  it('data-ownership parses every migration and adapter query and finds the one deliberate violation', async () => {
    const gen = generateRepo({ dir, modules: 8, files: 240 });
    expect(gen.migrations).toBe(8);
    expect(gen.deliberateDataViolations).toBe(1);
    const result = await runCheck({ root: dir, cache: false, noBaseline: true, only: ['data-ownership'] });
    expect(result.violations.map((v) => [v.file, v.message.split(',')[0]])).toEqual([
      ['src/modules/m05/infrastructure/i00.ts', 'm05 reads m06.records'],
    ]);
    expect(result.rules.find((r) => r.id === 'data-ownership')?.ms).toBeGreaterThanOrEqual(0);
  });
});

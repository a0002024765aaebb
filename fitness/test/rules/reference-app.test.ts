import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/rules/run.js';

const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

describe('the reference app obeys its own module map (root archfit.config.ts)', () => {
  it('has zero violations', async () => {
    const result = await runCheck({ root: repoRoot, cache: false });
    const found = result.violations.map((v) => `${v.rule} ${v.file}:${v.line}:${v.column} ${v.message}`);
    expect(found).toEqual([]);
    expect(result.staleBaseline).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});

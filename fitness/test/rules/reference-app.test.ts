import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { runCheck } from '../../src/rules/run.js';

const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

describe('the reference app obeys its own module map (root archfit.config.ts)', () => {
  it('has zero violations', async () => {
    // The revisit gate depends on load evidence made on a quiet machine, not on the code: it
    // has its own test below.
    const result = await runCheck({ root: repoRoot, cache: false, only: rules.map((r) => r.id).filter((id) => id !== 'revisit-required') });
    const found = result.violations.map((v) => `${v.rule} ${v.file}:${v.line}:${v.column} ${v.message}`);
    expect(found).toEqual([]);
    expect(result.staleBaseline).toEqual([]);
    expect(result.exitCode).toBe(0);
  }, 180_000);

  it('has no unanswered firing and no unreadable evidence; at most it lacks fresh qualifying evidence', async () => {
    const result = await runCheck({ root: repoRoot, cache: false, only: ['revisit-required'] });
    for (const v of result.violations) expect(v.message).toMatch(/has no fresh qualifying evidence/);
  }, 180_000);
});

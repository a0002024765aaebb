import { afterAll, describe, expect, it } from 'vitest';
import { formatJson } from '../../src/report/json.js';
import { runCheck } from '../../src/rules/run.js';
import { CLEAN_REPO, makeRepo } from '../support/tmp-repo.js';

/** Each enabled rule's run time is in the JSON report (`rules[].ms`), so bench:fitness can report a rule alone. */
const repo = makeRepo(CLEAN_REPO);
afterAll(() => repo.cleanup());

describe('per-rule timings', () => {
  it('every enabled rule carries its time in milliseconds; a rule that did not run carries none', async () => {
    const result = await runCheck({ root: repo.root, cache: false, noBaseline: true, only: ['module-boundary', 'data-ownership'] });
    const doc = JSON.parse(formatJson(result)) as { rules: { id: string; enabled: boolean; ms?: number }[] };
    for (const r of doc.rules) {
      if (r.enabled) expect(r.ms, r.id).toBeGreaterThanOrEqual(0);
      else expect(r.ms, r.id).toBeUndefined();
    }
    expect(doc.rules.filter((r) => r.ms !== undefined).map((r) => r.id).sort()).toEqual(['data-ownership', 'module-boundary']);
  });
});

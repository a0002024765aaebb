import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { runCheck } from '../../src/rules/run.js';

/**
 * Every registered rule must fire on a fixture: a folder named after the rule id under any
 * `fitness/test/** /fixtures/`, holding an archfit config and `expected-violations.json`.
 * The fixture's whole run must produce exactly those violations (rule, file, line, column).
 */
const testRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

interface Expected {
  rule: string;
  file: string;
  line: number;
  column: number;
}

function fixtureFor(ruleId: string): string | undefined {
  const hits = globSync(`**/fixtures/${ruleId}/expected-violations.json`, { cwd: testRoot, ignore: ['**/node_modules/**'] });
  return hits[0] ? path.join(testRoot, path.dirname(hits[0])) : undefined;
}

describe('every registered rule has a firing fixture', () => {
  it.each(rules.map((r) => r.id))('%s', async (id) => {
    const dir = fixtureFor(id);
    expect(dir, `no fitness/test/**/fixtures/${id}/expected-violations.json`).toBeDefined();
    const expected = JSON.parse(readFileSync(path.join(dir!, 'expected-violations.json'), 'utf8')) as Expected[];
    expect(expected.some((e) => e.rule === id), `the fixture for ${id} expects no ${id} violation`).toBe(true);
    const result = await runCheck({ root: dir!, cache: false, noBaseline: true });
    const actual = result.violations.map(({ rule, file, line, column }) => ({ rule, file, line, column }));
    const key = (v: Expected) => `${v.rule} ${v.file}:${v.line}:${v.column}`;
    expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
    expect(result.exitCode).toBe(1);
  });
});

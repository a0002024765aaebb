import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { adrValid } from '../../src/rules/adr-valid.js';
import { findRule } from '../../src/rules/index.js';
import { FIXTURES } from './helpers.js';

describe('the adr-valid rule', () => {
  it('is registered, so `archfit check` runs the ADR lint', () => {
    expect(findRule('adr-valid')).toBe(adrValid);
  });

  it('fires on its fixture with the ADR findings, reading adr.dir and load.scenarios from the config', async () => {
    const root = path.join(FIXTURES, 'adr-valid');
    const config = await loadConfig(root);
    const violations = await adrValid.check({ root, config, graph: { files: [], edges: [] } as never });
    const expected = JSON.parse(await readFile(path.join(root, 'expected-violations.json'), 'utf8')) as unknown[];
    expect(violations.map(({ rule, file, line, column }) => ({ rule, file, line, column }))).toEqual(expected);
    expect(violations[0]).toMatchObject({
      severity: 'error',
      message: '[superseded-without-successor] status is superseded but superseded-by names no successor',
      fix: expect.stringContaining('superseded-by'),
    });
  });

  it('finds nothing in a repository that keeps no ADRs', async () => {
    const root = path.join(FIXTURES, 'adr-valid');
    const config = await loadConfig(root);
    const violations = await adrValid.check({ root, config: { ...config, adr: { dir: 'no-adrs-here' } }, graph: { files: [], edges: [] } as never });
    expect(violations).toEqual([]);
  });
});

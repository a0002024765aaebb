import { describe, expect, it } from 'vitest';
import { STABLE_RULE_IDS } from '../../src/adr/references.js';
import { rules } from '../../src/rules/index.js';

// adr/ knows the rule ids as data so it never imports the registry (the registry imports adr/
// for the adr-valid rule; importing back was the adr <-> rules cycle). This keeps them equal.
describe('rule ids known to the ADR lint', () => {
  it('are exactly the registry\'s', () => {
    expect([...STABLE_RULE_IDS].sort()).toEqual(rules.map((r) => r.id).sort());
  });
});

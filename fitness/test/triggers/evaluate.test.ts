import { describe, expect, it } from 'vitest';
import type { RevisitTrigger } from '../../src/adr/schema.js';
import { evaluateScenarioTrigger } from '../../src/triggers/evaluate.js';
import type { EvidenceRead } from '../../src/triggers/evidence-store.js';
import { modulesWithOwnSlo, complianceTaggedModules } from '../../src/triggers/repository.js';
import { makeEvidence, scenarioHash } from './helpers.js';

const now = new Date('2026-11-23T12:00:00Z');
const trigger: RevisitTrigger = {
  id: 'sustained-dau',
  description: 'd',
  metric: 'dau_capacity',
  comparator: '<',
  threshold: { value: 10000, unit: 'users/day' },
  source: { scenario: 'dau' },
};
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const ok = (value: number | undefined, at: Date, extra = {}): EvidenceRead => ({
  ok: true,
  file: `load/results/dau-${at.getTime()}.json`,
  evidence: makeEvidence('dau', value === undefined ? { other: 1 } : { dau_capacity: value }, at, extra),
});
const run = (evidence: EvidenceRead[], t: RevisitTrigger = trigger) =>
  evaluateScenarioTrigger({ trigger: t, adr: 1, adrFile: 'adr/0001-x.md', evidence, now, maxAgeDays: 30, currentHash: scenarioHash('dau') });

describe('scenario trigger evaluation', () => {
  it('fires when value comparator threshold holds, and is armed when it does not', () => {
    expect(run([ok(8000, daysAgo(1))])).toMatchObject({ status: 'fired', value: 8000, threshold: 10000 });
    expect(run([ok(12000, daysAgo(1))])).toMatchObject({ status: 'armed', value: 12000 });
    // The boundary: 10000 < 10000 is false.
    expect(run([ok(10000, daysAgo(1))]).status).toBe('armed');
  });

  it('reads the newest evidence only', () => {
    expect(run([ok(12000, daysAgo(1)), ok(5000, daysAgo(2))]).status).toBe('armed');
  });

  it('is no-evidence without any run', () => {
    expect(run([])).toMatchObject({ status: 'no-evidence', value: null, evidence: null });
  });

  it('is invalid, never "not fired", when the metric is missing', () => {
    const r = run([ok(undefined, daysAgo(1))]);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(/no metric dau_capacity/);
  });

  it('is invalid when the newest evidence is malformed, even if an older one is fine', () => {
    const r = run([{ ok: false, file: 'load/results/dau-x.json', reason: 'not JSON: Unexpected token' }, ok(12000, daysAgo(2))]);
    expect(r).toMatchObject({ status: 'invalid', evidence: 'load/results/dau-x.json' });
  });

  it('is invalid when the evidence states the metric in another unit', () => {
    const r = run([ok(8000, daysAgo(1), { units: { dau_capacity: 'users/hour' } })]);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(/users\/hour/);
  });

  it('is stale when the newest evidence is older than the limit', () => {
    expect(run([ok(8000, daysAgo(31))])).toMatchObject({ status: 'stale', value: 8000 });
  });

  it('skips interrupted runs: their figures are partial (shown as indicative)', () => {
    const r = run([ok(100, daysAgo(1), { interrupted: true }), ok(12000, daysAgo(2))]);
    expect(r.status).toBe('armed');
    expect(r.indicative).toEqual([expect.objectContaining({ value: 100, reasons: ['interrupted'] })]);
    expect(run([ok(100, daysAgo(1), { interrupted: true })]).status).toBe('no-evidence');
  });

  it('without the scenario definition hash today, no run qualifies under the default policy', () => {
    const r = evaluateScenarioTrigger({ trigger, adr: 1, adrFile: 'adr/0001-x.md', evidence: [ok(100, daysAgo(1))], now, maxAgeDays: 30, currentHash: null });
    expect(r.status).toBe('no-evidence');
    expect(r.reason).toMatch(/definition hash differs/);
  });

  it('with sustain, fires only when every run in the window and the one before it fired', () => {
    const sustained = { ...trigger, sustain: '7d' };
    expect(run([ok(8000, daysAgo(1)), ok(9000, daysAgo(4)), ok(9500, daysAgo(9))], sustained).status).toBe('fired');
    expect(run([ok(8000, daysAgo(1)), ok(11000, daysAgo(4)), ok(9500, daysAgo(9))], sustained).status).toBe('armed');
    // Only two days of history: not yet sustained for seven.
    expect(run([ok(8000, daysAgo(1)), ok(9000, daysAgo(3))], sustained).status).toBe('armed');
  });
});

describe('repository measurements', () => {
  it('counts compliance-tagged modules', () => {
    expect(complianceTaggedModules([{ name: 'billing', tags: ['compliance:pci'] }, { name: 'catalog', tags: [] }])).toMatchObject({ ok: true, value: 1 });
  });

  it('counts modules whose slo tag is stricter than the app, and rejects malformed ones', () => {
    expect(modulesWithOwnSlo([{ name: 'a', tags: ['slo:99.99'] }, { name: 'b', tags: ['slo:99.9'] }], 99.9)).toMatchObject({ ok: true, value: 1 });
    expect(modulesWithOwnSlo([{ name: 'a', tags: ['slo:fast'] }], 99.9)).toMatchObject({ ok: false });
  });
});

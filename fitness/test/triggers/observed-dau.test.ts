import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RevisitTrigger } from '../../src/adr/schema.js';
import { evaluateObservedTrigger, readObserved, type ObservedDocument } from '../../src/triggers/observed.js';
import { goodQuality, makeEvidence, scenarioHash, searchStep as step } from './helpers.js';

/**
 * `sustained-dau` reads what the app observed: distinct users per UTC day, exported by the
 * identity module. It fires only when every day of the window is at or over the threshold.
 */
const trigger: RevisitTrigger = {
  id: 'sustained-dau',
  description: 'Observed DAU stays at or over 10,000 for a week.',
  metric: 'observed_dau',
  comparator: '>=',
  threshold: { value: 10000, unit: 'users/day' },
  sustain: '7d',
  source: { observed: 'daily-active-users' },
};
const now = new Date('2027-03-15T06:00:00Z');

function doc(values: Array<number | undefined>, lastDay = '2027-03-14'): ObservedDocument {
  const last = new Date(`${lastDay}T00:00:00Z`).getTime();
  const days = values
    .map((value, i) => ({ day: new Date(last - (values.length - 1 - i) * 86_400_000).toISOString().slice(0, 10), value }))
    .filter((d): d is { day: string; value: number } => d.value !== undefined);
  return { schemaVersion: 1, measurement: 'daily-active-users', unit: 'users/day', source: 'identity.daily_active_principals', exportedAt: '2027-03-15T05:00:00.000Z', days };
}

const evaluate = (d: ObservedDocument, t: RevisitTrigger = trigger, reference?: Parameters<typeof evaluateObservedTrigger>[0]['reference']) =>
  evaluateObservedTrigger({ trigger: t, adr: 20, adrFile: 'adr/0020-x.md', read: { ok: true, file: 'load/observed/daily-active-users.json', doc: d }, reference, referenceHash: scenarioHash('dau'), now, maxAgeDays: 30 });

describe('sustained-dau on observed daily active users', () => {
  it('fires when recorded DAU is at or over 10,000 on each of the 7 days', () => {
    const r = evaluate(doc([9000, 10000, 10400, 11000, 10100, 12000, 10050, 13000]));
    expect(r).toMatchObject({ status: 'fired', value: 13000 });
    expect(r.reason).toContain('held on each of the 7 days up to 2027-03-14');
  });

  it('stays armed when one day of the window is below', () => {
    expect(evaluate(doc([10000, 10400, 11000, 9999, 12000, 10050, 13000]))).toMatchObject({ status: 'armed', reason: expect.stringContaining('does not hold on 1 of the last 7') });
    expect(evaluate(doc([120, 95, 130, 101, 99, 140, 118]))).toMatchObject({ status: 'armed', value: 118 });
  });

  it('stays armed while recording spans fewer days than the window, even when every day is over', () => {
    expect(evaluate(doc([15000, 15000, 15000]))).toMatchObject({ status: 'armed', reason: expect.stringContaining('does not yet span 7 days') });
  });

  it('ignores today, which is not complete', () => {
    const d = doc([10000, 10000, 10000, 10000, 10000, 10000, 10000]);
    d.days.push({ day: '2027-03-15', value: 1 });
    expect(evaluate(d).status).toBe('fired');
  });

  it('a day missing inside the window is invalid: the app did not record it, which is not "below"', () => {
    expect(evaluate(doc([11000, 11000, undefined, 11000, 11000, 11000, 11000]))).toMatchObject({ status: 'invalid', reason: expect.stringContaining('no figure for 2027-03-10') });
  });

  it('an old export is stale; a missing export is no-evidence; a malformed one is invalid', async () => {
    const old = { ...doc([20000, 20000, 20000, 20000, 20000, 20000, 20000]), exportedAt: '2027-01-01T00:00:00.000Z' };
    expect(evaluate(old).status).toBe('stale');
    const root = await mkdtemp(path.join(os.tmpdir(), 'archfit-observed-'));
    const missing = await readObserved(root, 'load/observed/daily-active-users.json');
    expect(evaluateObservedTrigger({ trigger, adr: 20, adrFile: 'a', read: missing, now, maxAgeDays: 30 }).status).toBe('no-evidence');
    await mkdir(path.join(root, 'load/observed'), { recursive: true });
    await writeFile(path.join(root, 'load/observed/daily-active-users.json'), JSON.stringify({ ...doc([1]), unit: 'users' }));
    const bad = await readObserved(root, 'load/observed/daily-active-users.json');
    expect(evaluateObservedTrigger({ trigger, adr: 20, adrFile: 'a', read: bad, now, maxAgeDays: 30 })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('/unit') });
  });

  it('with fraction-of, the threshold is a stated fraction of the measured capacity', () => {
    const near: RevisitTrigger = { ...trigger, id: 'dau-near-capacity', threshold: { value: 0.5, unit: 'users/day' }, 'fraction-of': { scenario: 'dau', metric: 'dau_capacity' } };
    const evidence = [{ ok: true as const, file: 'load/results/dau-x.json', evidence: makeEvidence('dau', { dau_capacity: 20000 }, new Date('2027-03-14T12:00:00Z')) }];
    expect(evaluate(doc([10000, 10000, 10001, 12000, 10000, 10000, 10000]), near, evidence)).toMatchObject({ status: 'fired', threshold: 10000 });
    expect(evaluate(doc([10000, 10000, 9999, 12000, 10000, 10000, 10000]), near, evidence)).toMatchObject({ status: 'armed', threshold: 10000 });
    expect(evaluate(doc([10000]), near, [])).toMatchObject({ status: 'no-evidence' });
  });

  describe('the capacity a fraction-of threshold reads obeys the evidence policy', () => {
    const near: RevisitTrigger = { ...trigger, id: 'dau-near-capacity', threshold: { value: 0.5, unit: 'users/day' }, 'fraction-of': { scenario: 'dau', metric: 'dau_capacity' } };
    const week = (v: number) => doc([v, v, v, v, v, v, v]);
    const run = (file: string, dauCapacity: number, at: string, extra: Parameters<typeof makeEvidence>[3] = {}) => ({ ok: true as const, file, evidence: makeEvidence('dau', { dau_capacity: dauCapacity }, new Date(at), extra) });
    // Capacity 20,000 found at 60/s; the generator fell behind only at 120/s, above it.
    const bounded = (file: string, at: string) =>
      run(file, 20000, at, { steps: [step(60, 'pass', false), step(120, 'fail', true)], quality: { ...goodQuality(), generator: { cpuShareMax: 0.3, lateP99MaxMs: 22, behindSteps: ['search 120/s'] } } });

    it('a newer quick run does not set the threshold: the newest qualifying run does', () => {
      const reference = [run('load/results/dau-quick.json', 4000, '2027-03-14T12:00:00Z', { profile: 'quick' }), run('load/results/dau-full.json', 40000, '2027-03-10T12:00:00Z')];
      expect(evaluate(week(12000), near, reference)).toMatchObject({ status: 'armed', threshold: 20000 });
      expect(evaluate(week(12000), near, [reference[0]!])).toMatchObject({ status: 'no-evidence', reason: expect.stringContaining('quick profile') });
    });

    it('a foreign definition, a stale capacity and a broken file never set it either', () => {
      expect(evaluate(week(12000), near, [run('load/results/dau-old.json', 40000, '2027-03-14T12:00:00Z', { definitionHash: 'sha256:other' })])).toMatchObject({ status: 'no-evidence' });
      expect(evaluate(week(12000), near, [run('load/results/dau-old.json', 40000, '2027-01-01T12:00:00Z')])).toMatchObject({ status: 'stale' });
      expect(evaluate(week(12000), near, [{ ok: false as const, file: 'load/results/dau-bad.json', reason: 'is not JSON' }])).toMatchObject({ status: 'invalid' });
    });

    it('a capacity that is a lower bound settles "below half of it" and leaves "at or over half" undetermined', () => {
      const reference = [bounded('load/results/dau-bound.json', '2027-03-14T12:00:00Z')];
      // 9,000 < 0.5 x 20,000 <= 0.5 x the true capacity: settled, not fired.
      expect(evaluate(week(9000), near, reference)).toMatchObject({ status: 'armed', threshold: 10000 });
      // 12,000 >= 10,000, but the true threshold may be higher: neither fired nor armed.
      expect(evaluate(week(12000), near, reference)).toMatchObject({ status: 'no-evidence', reason: expect.stringContaining('undetermined') });
    });
  });
});

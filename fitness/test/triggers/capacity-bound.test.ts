import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { EvidenceStep } from '../../src/triggers/evidence-schema.js';
import { settledByLowerBound } from '../../src/triggers/policy.js';
import { adr, goodQuality, makeEvidence, makeRepo, searchStep as step, type TriggerDef } from './helpers.js';

// The triggers x evidence table, capacity rows: a capacity search whose generator fell behind
// only above its highest passing step decides `capacity ≥ X` where that settles the trigger.

const roots: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await main(['node', 'archfit', ...args]);
  vi.restoreAllMocks();
  return { code, out };
}

const below: TriggerDef = { id: 'capacity-below-plan', metric: 'dau_capacity', comparator: '<', threshold: { value: 10000, unit: 'users/day' }, source: { scenario: 'dau' }, sustain: '7d' };
const now = Date.now();
const ago = (days: number) => new Date(now - days * 86_400_000);


/** A dau run: the steps given, capacity from the highest passing one (x 327.27 users/day per req/s, as the committed run). */
function dau(steps: EvidenceStep[], dauCapacity: number, at = ago(1)) {
  const behindSteps = steps.filter((s) => s.generator?.behind).map((s) => s.label);
  const passing = steps.filter((s) => s.verdict === 'pass').map((s) => s.offeredRate!);
  return makeEvidence('dau', { dau_capacity: dauCapacity, sustainable_rate_rps: Math.max(0, ...passing), p99_at_sustainable_ms: 12 }, at, {
    steps,
    units: { dau_capacity: 'users/day', sustainable_rate_rps: 'req/s', p99_at_sustainable_ms: 'ms' },
    quality: { ...goodQuality(), generator: { cpuShareMax: 0.33, lateP99MaxMs: 22, behindSteps } },
  });
}

async function verdict(repo: Parameters<typeof makeRepo>[0], id = below.id) {
  const root = await makeRepo(repo);
  roots.push(root);
  const t = await cli(['triggers', '--format', 'json', '--root', root]);
  const table = await cli(['triggers', '--root', root]);
  const c = await cli(['check', root, '--no-cache', '--rule', 'revisit-required']);
  expect(c.code, `check and triggers disagree:\n${c.out}`).toBe(t.code);
  const row = JSON.parse(t.out).triggers.find((x: { id: string }) => x.id === id);
  return { row, code: t.code, table: table.out, check: c.out };
}

const decision = (triggers: TriggerDef[] = [below]) => ({ file: '0001-one-process.md', frontMatter: adr(triggers) });
const behindAbove = () => dau([step(575, 'pass'), step(863, 'pass'), step(1295, 'inconclusive', true)], 282436);

describe('capacity search behind only above the highest passing step', () => {
  it('qualifies as a lower bound that settles capacity-below-plan: armed with ≥, exit 0', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: behindAbove() }] });
    expect(v.row).toMatchObject({ status: 'armed', value: 282436, bound: 'lower' });
    expect(v.row.reason).toMatch(/^≥ 282436 \(a lower bound: the generator fell behind at search 1295\/s, above the highest passing step 863\/s\) < 10000 users\/day does not hold/);
    expect(v.table).toMatch(/dau_capacity ≥ 282436 < 10000 users\/day/);
    expect(v.code).toBe(0);
  });

  it('a behind step at the capacity rejects the run: no-evidence, exit 1', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: dau([step(575, 'pass'), step(863, 'pass', true), step(1295, 'fail')], 282436) }] });
    expect(v.row).toMatchObject({ status: 'no-evidence', value: null });
    expect(v.row.bound).toBeUndefined();
    expect(v.row.reason).toMatch(/search 863\/s is at or below the highest passing step \(863\/s\)/);
    expect(v.code).toBe(1);
  });

  it('a behind step below the capacity rejects the run too', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: dau([step(575, 'pass', true), step(863, 'pass'), step(1295, 'fail')], 282436) }] });
    expect(v.row.status).toBe('no-evidence');
    expect(v.code).toBe(1);
  });

  it('a lower bound below the threshold is undetermined: not qualifying, exit 1, and the reason says why', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: dau([step(20, 'pass'), step(30, 'inconclusive', true)], 6545) }] });
    expect(v.row).toMatchObject({ status: 'no-evidence', value: null });
    expect(v.row.reason).toMatch(/undetermined: dau_capacity ≥ 6545 is a lower bound .* cannot decide dau_capacity < 10000 users\/day/);
    expect(v.row.indicative[0]).toMatchObject({ value: 6545 });
    expect(v.code).toBe(1);
  });

  it('a bound that settles a firing (capacity > threshold) fires with ≥', async () => {
    const above: TriggerDef = { id: 'capacity-above', metric: 'sustainable_rate_rps', comparator: '>', threshold: { value: 500, unit: 'req/s' }, source: { scenario: 'dau' } };
    const v = await verdict({ adrs: [decision([above])], evidence: [{ doc: behindAbove() }] }, above.id);
    expect(v.row).toMatchObject({ status: 'fired', value: 863, bound: 'lower' });
    expect(v.code).toBe(1);
  });

  it('the same run does not decide a trigger on a metric that is not the capacity', async () => {
    const p99: TriggerDef = { id: 'p99-at-capacity', metric: 'p99_at_sustainable_ms', comparator: '>', threshold: { value: 500, unit: 'ms' }, source: { scenario: 'dau' } };
    const v = await verdict({ adrs: [decision([p99])], evidence: [{ doc: behindAbove() }] }, p99.id);
    expect(v.row.status).toBe('no-evidence');
    expect(v.row.reason).toMatch(/only its capacity \(sustainable_rate_rps, dau_capacity\) may be read from it, as a lower bound/);
  });

  it('with behindAboveCapacity: reject the run is rejected as before', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: behindAbove() }], config: { triggers: { evidence: { behindAboveCapacity: 'reject' } } } });
    expect(v.row.status).toBe('no-evidence');
    expect(v.row.reason).toMatch(/\(generator fell behind in 1 step\(s\)\)/);
    expect(v.row.bound).toBeUndefined();
    expect(v.code).toBe(1);
  });

  it('a lower bound settles only the comparisons it can', () => {
    expect(settledByLowerBound(10000, '<', 10000)).toBe(false);
    expect(settledByLowerBound(9999, '<', 10000)).toBeUndefined();
    expect(settledByLowerBound(10000, '<=', 10000)).toBeUndefined();
    expect(settledByLowerBound(10001, '<=', 10000)).toBe(false);
    expect(settledByLowerBound(10001, '>', 10000)).toBe(true);
    expect(settledByLowerBound(10000, '>', 10000)).toBeUndefined();
    expect(settledByLowerBound(10000, '>=', 10000)).toBe(true);
  });
});

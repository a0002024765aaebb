import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { adr, goodQuality, makeEvidence, makeRepo, type TriggerDef } from './helpers.js';

// The triggers x evidence table of issue 11: each row is a repository, the status
// `archfit triggers` gives the trigger, and the exit code, which `archfit check` must share.

const roots: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  const code = await main(['node', 'archfit', ...args]);
  vi.restoreAllMocks();
  return { code, out, err };
}

const hot: TriggerDef = { id: 'hot-rows', metric: 'hot_row_p99_ms', comparator: '>', threshold: { value: 250, unit: 'ms' }, source: { scenario: 'write-contention' } };
const now = Date.now();
const ago = (days: number) => new Date(now - days * 86_400_000);
const wc = (p99: number, at: Date, extra = {}) => makeEvidence('write-contention', { hot_row_p99_ms: p99 }, at, extra);
const fileOf = (at: Date) => `load/results/write-contention-${at.toISOString().replace(/[-:.]/g, '')}.json`;
const decision = (triggers: TriggerDef[] = [hot]) => ({ file: '0001-one-process.md', frontMatter: adr(triggers) });
const revisit = (fm: Record<string, unknown>) => ({ file: '0002-revisit-hot-rows.md', frontMatter: { status: 'accepted', date: new Date(now).toISOString().slice(0, 10), 'decision-makers': ['x'], ...fm } });

type Repo = Parameters<typeof makeRepo>[0];

/** Runs both commands on the repository; returns the trigger's JSON row and the shared exit code. */
async function verdict(repo: Repo, id = hot.id) {
  const root = await makeRepo(repo);
  roots.push(root);
  const t = await cli(['triggers', '--format', 'json', '--root', root]);
  const c = await cli(['check', root, '--no-cache', '--rule', 'revisit-required']);
  expect(c.code, `check and triggers disagree:\n${c.out}\n${t.err}`).toBe(t.code);
  const row = JSON.parse(t.out).triggers.find((x: { id: string }) => x.id === id);
  return { row, code: t.code, check: c.out, stderr: t.err };
}

describe('triggers x evidence: the status, and one exit code for triggers and check', () => {
  it('qualifying evidence under the threshold: armed, exit 0', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: wc(14, ago(1)) }] });
    expect(v.row).toMatchObject({ status: 'armed', value: 14 });
    expect(v.code).toBe(0);
  });

  it('malformed newest file: invalid, exit 1', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: wc(14, ago(2)) }, { name: 'write-contention-20991231T000000000Z.json', doc: '{"scenario": "write-con' }] });
    expect(v.row).toMatchObject({ status: 'invalid', evidence: 'load/results/write-contention-20991231T000000000Z.json' });
    expect(v.code).toBe(1);
    expect(v.check).toMatch(/cannot be evaluated: evidence .* not JSON/);
  });

  it('schema-breaking file (valid JSON, wrong shape): invalid, exit 1', async () => {
    const bad = { ...wc(14, ago(1)), metrics: { hot_row_p99_ms: 'fast' } };
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: JSON.stringify(bad), name: 'write-contention-20261101T000000000Z.json' }] });
    expect(v.row.status).toBe('invalid');
    expect(v.row.reason).toMatch(/does not match the evidence schema at \/metrics\/hot_row_p99_ms/);
    expect(v.code).toBe(1);
  });

  it('schemaVersion 2 without quality is schema-breaking', async () => {
    const { quality: _q, ...noQuality } = wc(14, ago(1));
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: JSON.stringify(noQuality), name: 'write-contention-20261101T000000000Z.json' }] });
    expect(v.row).toMatchObject({ status: 'invalid' });
    expect(v.code).toBe(1);
  });

  it('stale evidence: stale, exit 1 by default, exit 0 when the policy does not require fresh evidence', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: wc(14, ago(40)) }] });
    expect(v.row).toMatchObject({ status: 'stale', value: 14 });
    expect(v.code).toBe(1);
    const relaxed = await verdict({ adrs: [decision()], evidence: [{ doc: wc(14, ago(40)) }], config: { triggers: { evidence: { requireFresh: false } } } });
    expect(relaxed.row.status).toBe('stale');
    expect(relaxed.code).toBe(0);
  });

  it('no evidence at all: no-evidence, exit 1 by default', async () => {
    const v = await verdict({ adrs: [decision()] });
    expect(v.row).toMatchObject({ status: 'no-evidence', value: null });
    expect(v.code).toBe(1);
  });

  it('foreign definition hash: never fires; the older qualifying run decides, the foreign one is indicative', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: wc(14, ago(3)) }, { doc: wc(5000, ago(1), { definitionHash: `sha256:${'b'.repeat(64)}` }) }] });
    expect(v.row).toMatchObject({ status: 'armed', value: 14, evidence: fileOf(ago(3)) });
    expect(v.row.indicative[0]).toMatchObject({ value: 5000, reasons: ['definition hash differs from the scenario file today'] });
    expect(v.code).toBe(0);
  });

  it('future-dated file: not counted, even as a firing', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: wc(14, ago(1)) }, { doc: wc(5000, ago(-30)) }] });
    expect(v.row).toMatchObject({ status: 'armed', value: 14 });
    expect(v.row.indicative[0].reasons[0]).toMatch(/dated in the future/);
    expect(v.code).toBe(0);
  });

  it('a newer quick run does not mask a full-profile firing', async () => {
    const full = ago(2);
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: wc(427, full) }, { doc: wc(13.7, ago(1), { profile: 'quick' }) }] });
    expect(v.row).toMatchObject({ status: 'fired', value: 427, evidence: fileOf(full) });
    expect(v.row.indicative[0]).toMatchObject({ value: 13.7, reasons: ['quick profile (qualifying: full)'] });
    expect(v.code).toBe(1);
  });

  it('a quick run alone never fires: no-evidence', async () => {
    const v = await verdict({ adrs: [decision()], evidence: [{ doc: wc(2705, ago(1), { profile: 'quick' }) }], config: { triggers: { evidence: { requireFresh: false } } } });
    expect(v.row.status).toBe('no-evidence');
    expect(v.code).toBe(0);
  });

  it('uncalibrated or badly calibrated runs and generator-limited runs do not qualify', async () => {
    const q = goodQuality();
    const v1 = { ...wc(900, ago(1)), schemaVersion: 1 as const, quality: undefined };
    const cases = [
      JSON.stringify(v1),
      wc(900, ago(1), { quality: { ...q, calibration: { ...q.calibration, error: 0.26, passed: false } } }),
      wc(900, ago(1), { quality: { ...q, generator: { ...q.generator, behindSteps: ['row-lock hot'] } } }),
    ];
    for (const doc of cases) {
      const v = await verdict({ adrs: [decision()], evidence: [{ doc, name: 'write-contention-20261201T000000000Z.json' }] });
      expect(v.row.status).toBe('no-evidence');
      expect(v.code).toBe(1);
    }
  });

  it('a trigger naming a scenario that does not exist: invalid, exit 1', async () => {
    const v = await verdict({ adrs: [decision([{ ...hot, source: { scenario: 'write-contention' } }])], withoutScenarios: ['write-contention'] });
    expect(v.row).toMatchObject({ status: 'invalid' });
    expect(v.row.reason).toMatch(/source scenario write-contention does not exist/);
    expect(v.code).toBe(1);
  });

  it('sustain across a gap: two firing runs 200 days apart do not make 7 days', async () => {
    const sustained = { ...hot, sustain: '7d' };
    const v = await verdict({ adrs: [decision([sustained])], evidence: [{ doc: wc(900, ago(1)) }, { doc: wc(900, ago(200)) }] });
    expect(v.row.status).toBe('armed');
    expect(v.row.reason).toMatch(/older than 30 days/);
    expect(v.code).toBe(0);
    const gap = await verdict({ adrs: [decision([sustained])], evidence: [{ doc: wc(900, ago(1)) }, { doc: wc(900, ago(20)) }] });
    expect(gap.row.reason).toMatch(/more than the 7d window/);
    const daily = await verdict({ adrs: [decision([sustained])], evidence: [0.5, 3, 6, 8].map((d) => ({ doc: wc(900, ago(d)) })) });
    expect(daily.row.status).toBe('fired');
    expect(daily.code).toBe(1);
  });

  describe('revisits', () => {
    const fired = ago(2);
    const cite = { revisits: [{ adr: 1, trigger: hot.id, evidence: fileOf(fired) }] };
    const repo = (rev: ReturnType<typeof revisit>, more: Array<{ doc: ReturnType<typeof wc> }> = []): Repo => ({ adrs: [decision(), rev], evidence: [{ doc: wc(427, fired) }, ...more] });

    it('an accepted revisit naming the trigger and citing the evidence that fired answers it: exit 0', async () => {
      const v = await verdict(repo(revisit(cite)));
      expect(v.row).toMatchObject({ status: 'fired', answeredBy: { adr: 2 } });
      expect(v.code).toBe(0);
    });

    it('the draft as written (proposed) does not answer it', async () => {
      const v = await verdict(repo(revisit({ ...cite, status: 'proposed' })));
      expect(v.row.answeredBy).toBeUndefined();
      expect(v.row.revisitNotes[0]).toMatch(/status is proposed, not accepted/);
      expect(v.code).toBe(1);
    });

    it('a rejected revisit does not answer it', async () => {
      const v = await verdict(repo(revisit({ ...cite, status: 'rejected' })));
      expect(v.code).toBe(1);
    });

    it('a plain `revisits: [1]` or one without the evidence file does not answer it', async () => {
      expect((await verdict(repo(revisit({ revisits: [1] })))).code).toBe(1);
      expect((await verdict(repo(revisit({ revisits: [{ adr: 1, trigger: hot.id }] })))).code).toBe(1);
    });

    it('a revisit dated before the evidence it cites does not answer it', async () => {
      const v = await verdict(repo(revisit({ ...cite, date: '2020-01-01' })));
      expect(v.row.revisitNotes[0]).toMatch(/after the decision/);
      expect(v.code).toBe(1);
    });

    it('a later qualifying firing above the accepted value fires again; one at or below it stays answered', async () => {
      const worse = await verdict(repo(revisit(cite), [{ doc: wc(5000, ago(1)) }]));
      expect(worse.row).toMatchObject({ status: 'fired', value: 5000 });
      expect(worse.row.revisitNotes[0]).toMatch(/beyond the 427 ms/);
      expect(worse.code).toBe(1);
      const same = await verdict(repo(revisit(cite), [{ doc: wc(300, ago(1)) }]));
      expect(same.row).toMatchObject({ status: 'fired', value: 300, answeredBy: { adr: 2 } });
      expect(same.code).toBe(0);
    });
  });
});

import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_EVIDENCE_POLICY, evaluateTriggers, evidenceTimestamp, readEvidence, type Evidence } from 'archfit';
import { nearestRank, pendingCount, readLag, summariseLag, type LagRow } from '../runner/consumer-lag.js';
import { createDatabase } from '../runner/database.js';
import { runScenario } from '../runner/run-scenario.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADR_FILE = '0023-notification-lag-on-a-hot-auction-as-a-revisit-trigger.md';

describe('consumer lag from controlled timestamps', () => {
  it('nearest-rank percentiles over handled events', () => {
    // 100 events, the i-th handled i ms after it was published (1..100 ms).
    const rows: LagRow[] = Array.from({ length: 100 }, (_, i) => ({ publishedMs: 1_000 + i * 10, handledMs: 1_000 + i * 10 + (i + 1) }));
    const s = summariseLag(rows, 99_999);
    // Handled from the first event (1,000) to the last handling (2,090); published from 1,000 to 1,990.
    expect(s).toEqual({ events: 100, handled: 100, pending: 0, p50Ms: 50, p99Ms: 99, maxMs: 100, handledPerS: 91.7, publishedPerS: 101 });
    expect(nearestRank([], 0.99)).toBe(0);
    expect(nearestRank([7], 0.5)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
  });

  it('a pending event counts at its age when read, never left out, and makes the tail', () => {
    const rows: LagRow[] = [
      ...Array.from({ length: 98 }, (_, i) => ({ publishedMs: i, handledMs: i + 5 })),
      { publishedMs: 100, handledMs: null },
      { publishedMs: 200, handledMs: null },
    ];
    const s = summariseLag(rows, 10_200);
    expect([s.events, s.handled, s.pending]).toEqual([100, 98, 2]);
    // Lags sorted: 98 x 5 ms, then 10,000 and 10,100 ms (ages at the read).
    expect(s.p50Ms).toBe(5);
    expect(s.p99Ms).toBe(10_000);
    expect(s.maxMs).toBe(10_100);
  });

  it('no events: zeros, not NaN', () => {
    expect(summariseLag([], 0)).toEqual({ events: 0, handled: 0, pending: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, handledPerS: 0, publishedPerS: 0 });
  });
});

describe('consumer lag read from the outbox tables (real migrations, fixed timestamps)', () => {
  let db: { url: string; drop(): Promise<void> };
  let client: pg.Client;
  const t0 = Date.UTC(2026, 11, 4, 12, 0, 0);
  const ts = (ms: number) => new Date(t0 + ms).toISOString();

  beforeAll(async () => {
    db = await createDatabase(inject('adminDatabaseUrl'), 'lag_rows');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const dir = path.join(REPO, 'reference-app/src/shared/events/migrations');
    for (const f of (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()) await client.query(await readFile(path.join(dir, f), 'utf8'));
    const event = (id: string, type: string, at: number) =>
      client.query(`INSERT INTO events.event (id, type, version, key, payload, published_at) VALUES ($1, $2, 1, 'hot', '{}', $3)`, [id, type, ts(at)]);
    const inbox = (consumer: string, id: string, at: number) => client.query(`INSERT INTO events.inbox (consumer, event_id, handled_at) VALUES ($1, $2, $3)`, [consumer, id, ts(at)]);
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    await event(id(1), 'bid.placed', 1_000);
    await inbox('notifications', id(1), 1_250); // 250 ms
    await event(id(2), 'bid.outbid', 1_000);
    await inbox('notifications', id(2), 3_000); // 2,000 ms
    await event(id(3), 'bid.placed', 2_000); // pending
    await event(id(4), 'bid.placed', 2_500);
    await inbox('someone-else', id(4), 2_600); // another consumer's inbox: still pending for notifications
    await event(id(5), 'order.placed', 1_500); // a type outside the window's
    await inbox('notifications', id(5), 1_501);
    await event(id(6), 'bid.placed', 9_000); // after the window
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const window = () => ({ consumer: 'notifications', eventTypes: ['bid.placed', 'bid.outbid'], fromMs: t0, toMs: t0 + 5_000 });

  it('joins each event of the window to the consumer\'s inbox row, on the database clock', async () => {
    const { rows, readAtMs } = await readLag(client, window());
    const byPublished = rows.map((r) => [r.publishedMs - t0, r.handledMs === null ? null : r.handledMs - t0]).sort((a, b) => a[0]! - b[0]! || (a[1] ?? 0) - (b[1] ?? 0));
    expect(byPublished).toEqual([
      [1_000, 250 + 1_000],
      [1_000, 3_000],
      [2_000, null],
      [2_500, null],
    ]);
    // Read now, long after the fixed timestamps: the pending ones are the tail.
    expect(readAtMs).toBeGreaterThan(t0 + 5_000);
    expect(await pendingCount(client, window())).toBe(2);
    const s = summariseLag(rows.filter((r) => r.handledMs !== null), readAtMs);
    expect([s.p50Ms, s.maxMs]).toEqual([250, 2_000]);
  });
});

// The test profile against the real reference app (a child process on a fresh database), then
// ADR-0023's trigger evaluated on that evidence, as it is and as a qualifying run above and
// below the threshold.
describe('notification-lag scenario (test profile) and its trigger', () => {
  let dir: string;
  let evidence: Evidence;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'archfit-lag-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('one hot auction: bids, the lag per event, the backlog at the end and what did not drain', async () => {
    const run = await runScenario('notification-lag', {
      profile: 'test',
      signal: new AbortController().signal,
      adminUrl: inject('adminDatabaseUrl'),
      resultsDir: path.join(dir, 'results'),
      log: () => {},
      progress: () => ({ update: () => {}, stop: () => {} }),
    });
    const read = await readEvidence('/', run.file);
    if (!read.ok) throw new Error(read.reason);
    evidence = read.evidence;
    const m = evidence.metrics;
    expect(evidence.interrupted).toBe(false);
    expect(evidence.steps.map((s) => [s.label, s.labels.notifications])).toEqual([['hot auction 30/s', 'in-process']]);
    const step = evidence.steps[0]!;
    expect(step.counts!.offered).toBe(60);
    // Every placed bid published bid.placed, and at most one bid.outbid beside it.
    expect(step.extra.placed).toBeGreaterThan(0);
    expect(m.notification_events).toBeGreaterThanOrEqual(step.extra.placed!);
    expect(m.notification_events).toBeLessThanOrEqual(2 * step.extra.placed!);
    expect(m.notification_drained! + m.notification_undrained!).toBe(m.notification_events);
    expect(m.notification_published_per_s).toBeGreaterThan(0);
    expect(m.notification_backlog_at_step_end).toBeGreaterThanOrEqual(m.notification_undrained!);
    expect(m.notification_lag_p50_ms).toBeGreaterThan(0);
    expect(m.notification_lag_p50_ms).toBeLessThanOrEqual(m.notification_lag_p99_ms!);
    expect(m.notification_lag_p99_ms).toBeLessThanOrEqual(m.notification_lag_max_ms!);
    expect(step.extra.lag_p99_ms).toBe(m.notification_lag_p99_ms);
    expect(m.bid_p99_ms).toBe(step.latency.p99);
    expect(evidence.units.notification_lag_p99_ms).toBe('ms');
    const t = evidence.thresholds.find((x) => x.id === 'notification-lag-p99')!;
    expect([t.actual, t.verdict]).toEqual([m.notification_lag_p99_ms, m.notification_lag_p99_ms! <= 5000 ? 'pass' : 'fail']);
    expect(evidence.notes.join(' ')).toMatch(/inbox/);
    expect(await readFile(run.reports.html, 'utf8')).toContain('<svg');
  }, 180_000);

  /** A repository holding ADR-0006 and ADR-0023, the scenario file and one evidence file. */
  async function scratch(name: string, ev: Evidence) {
    const root = path.join(dir, name);
    await mkdir(path.join(root, 'adr'), { recursive: true });
    await mkdir(path.join(root, 'load/scenarios'), { recursive: true });
    await mkdir(path.join(root, 'load/results'), { recursive: true });
    for (const f of ['0006-cross-module-events-persisted-to-postgres-before-dispatch.md', ADR_FILE]) await copyFile(path.join(REPO, 'adr', f), path.join(root, 'adr', f));
    await copyFile(path.join(REPO, 'load/scenarios/notification-lag.json'), path.join(root, 'load/scenarios/notification-lag.json'));
    await writeFile(path.join(root, 'load/results', `notification-lag-${evidenceTimestamp(new Date(ev.finishedAt))}.json`), JSON.stringify(ev));
    const report = await evaluateTriggers({ root, adrDir: 'adr', resultsDir: 'load/results', scenariosDir: 'load/scenarios', evidenceMaxAgeDays: 30, modules: [], policy: DEFAULT_EVIDENCE_POLICY, now: new Date(new Date(ev.finishedAt).getTime() + 60_000) });
    return report.triggers.find((x) => x.id === 'hot-auction-notification-lag')!;
  }

  const qualifying = (p99: number): Evidence => ({
    ...evidence,
    profile: 'full',
    metrics: { ...evidence.metrics, notification_lag_p99_ms: p99 },
    steps: evidence.steps.map((s) => ({ ...s, generator: { ...s.generator!, behind: false } })),
    quality: {
      ...evidence.quality!,
      calibration: { ...evidence.quality!.calibration!, error: 0.02, passed: true },
      generator: { ...evidence.quality!.generator, behindSteps: [] },
    },
  });

  it('ADR-0023\'s trigger reads notification_lag_p99_ms: a test run is indicative only, a qualifying run fires above 5,000 ms and is armed at or below', async () => {
    expect(evidence, 'the scenario run above must have produced evidence').toBeDefined();
    const asRun = await scratch('as-run', evidence);
    expect(asRun).toMatchObject({ adr: 23, status: 'no-evidence', metric: 'notification_lag_p99_ms', comparator: '>' });
    expect(asRun.indicative?.[0]?.value).toBe(evidence.metrics.notification_lag_p99_ms);
    expect(await scratch('above', qualifying(7_250))).toMatchObject({ status: 'fired', value: 7_250 });
    expect(await scratch('at', qualifying(5_000))).toMatchObject({ status: 'armed', value: 5_000 });
    expect(await scratch('below', qualifying(1_200))).toMatchObject({ status: 'armed', value: 1_200 });
  });
});

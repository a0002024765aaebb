import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readEvidence } from 'archfit';
import { dauCapacity } from '../runner/dau-model.js';
import type { Evidence } from '../runner/evidence.js';
import { runScenario, type ScenarioRun } from '../runner/run-scenario.js';
import type { RunContext } from '../runner/scenario-context.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import type { DauScenario } from '../scenarios/schema.js';

// Short runs (the `test` profile: seconds, tens of requests per second) of every scenario
// against the real reference app, started as a child process on a fresh database of the
// suite's Postgres. Evidence goes to a temp dir, never into load/results/.

let dir: string;
const ctx = (): RunContext & { resultsDir: string } => ({
  profile: 'test',
  signal: new AbortController().signal,
  adminUrl: inject('adminDatabaseUrl'),
  resultsDir: dir,
  log: () => {},
  progress: () => ({ update: () => {}, stop: () => {} }),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'archfit-load-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const holds = (a: number, c: string, v: number) => (c === '<' ? a < v : c === '<=' ? a <= v : c === '>' ? a > v : a >= v);

/** The file on disk validates, and every verdict is what its metric says it must be. */
async function checkEvidence(run: ScenarioRun): Promise<Evidence> {
  expect(path.dirname(run.file)).toBe(dir);
  const read = await readEvidence('/', run.file);
  if (!read.ok) throw new Error(read.reason);
  const ev = read.evidence;
  expect(ev.interrupted).toBe(false);
  expect(ev.steps.length).toBeGreaterThan(0);
  for (const t of ev.thresholds) {
    const actual = ev.metrics[t.metric];
    expect(t.actual).toBe(actual ?? null);
    expect(t.verdict).toBe(actual === undefined ? 'missing' : holds(actual, t.comparator, t.value) ? 'pass' : 'fail');
  }
  const html = await readFile(run.reports.html, 'utf8');
  expect(html).toContain('<svg');
  expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
  expect(await readFile(run.reports.md, 'utf8')).toContain(`# Load evidence: ${ev.scenario}`);
  return ev;
}

describe('scenarios against the reference app (test profile)', () => {
  it('dau: capacity search, DAU from the sustained rate with the stated model', async () => {
    const ev = await checkEvidence(await runScenario('dau', ctx()));
    const { scenario } = await loadScenario('dau');
    const model = (scenario as DauScenario).model;
    expect(ev.metrics.dau_capacity).toBe(dauCapacity(ev.metrics.sustainable_rate_rps!, model));
    // The sustained rate is the highest step that met the SLO, and every such step is recorded.
    const passing = ev.steps.filter((s) => s.withinSlo).map((s) => s.offeredRate ?? 0);
    expect(ev.metrics.sustainable_rate_rps).toBe(passing.length ? Math.max(...passing) : 0);
    // Within the SLO only when p99 and errors hold and the step is a verdict on the app at all
    // (a generator that fell behind on a busy machine makes it inconclusive, never a pass).
    for (const s of ev.steps) {
      expect(s.verdict).toBe(s.generator!.behind ? 'inconclusive' : s.latency.p99 <= 500 && s.errors.rate <= 0.001 ? 'pass' : 'fail');
      expect(s.withinSlo).toBe(s.verdict === 'pass');
      expect(s.counts!.sent + s.counts!.dropped).toBe(s.counts!.offered);
    }
    expect(ev.quality!.calibration!.truth).toEqual({ p50: 50, p90: 650, p99: 1010 });
    expect(ev.quality!.loadAverage.samples.length).toBeGreaterThanOrEqual(2);
    // ADR-0014's resources at the end of the search: the database's size and its largest tables, read from PostgreSQL.
    expect(ev.metrics.database_size_bytes).toBeGreaterThan(ev.metrics.database_size_after_seed_bytes! - 1);
    expect(ev.metrics.database_size_after_seed_bytes).toBeGreaterThan(0);
    expect(ev.metrics.app_instances).toBe(1);
    expect(ev.metrics.app_peak_rss_bytes).toBeGreaterThan(0);
    const tables = Object.keys(ev.database).filter((k) => k.startsWith('table_bytes:'));
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.every((k) => /^table_bytes:[a-z0-9_]+\.[a-z0-9_]+$/.test(k))).toBe(true);
  }, 180_000);

  it('write-contention: every strategy, hot and uniform, Postgres counters and a ceiling', async () => {
    const run = await runScenario('write-contention', ctx());
    const ev = await checkEvidence(run);
    for (const strategy of ['row-lock', 'optimistic', 'conditional-update', 'append-only']) {
      const labels = ev.steps.filter((s) => s.labels.strategy === strategy).map((s) => s.label);
      expect(labels).toEqual([`${strategy} hot`, `${strategy} uniform`, `${strategy} hot ceiling`]);
    }
    const hot = ev.steps.find((s) => s.label === 'conditional-update hot')!;
    expect(ev.metrics.hot_row_p99_ms).toBe(hot.latency.p99);
    expect(ev.metrics.hot_row_error_rate).toBe(hot.errors.rate);
    expect(hot.extra.overtaken_accepted).toBeGreaterThanOrEqual(0);
    expect(ev.metrics.hot_ceiling_placed_equal_semantics_per_s_append_only).toBeLessThanOrEqual(ev.metrics.hot_ceiling_placed_per_s_append_only!);
    expect(hot.extra.placed).toBeGreaterThan(0);
    expect(hot.extra.lock_samples).toBeGreaterThan(0);
    expect(ev.database.row_lock_hot_commits).toBeGreaterThan(0);
    // retries are counted by the strategy in the app (read from its admin route), not taken from
    // pg_stat rollbacks, which stay their own column: row-lock never retries.
    for (const s of ev.steps) expect(s.extra.retries, s.label).toBeGreaterThanOrEqual(0);
    for (const s of ev.steps.filter((x) => x.labels.strategy === 'row-lock')) expect(s.extra.retries, s.label).toBe(0);
    expect(hot.extra.db_rollbacks).toBeGreaterThanOrEqual(0);
    const md = await readFile(run.reports.md, 'utf8');
    expect(md).toMatch(/retries=\d+/);
    expect(md).toMatch(/db_rollbacks=\d+/);
    expect(ev.metrics.hot_row_ceiling_writes_per_s).toBeGreaterThan(0);
    expect(ev.notes.join(' ')).toMatch(/Would extraction help\?/);
  }, 480_000);

  it('compute-latency: each mode, fast route with the loop probe, current mode feeds the trigger', async () => {
    const ev = await checkEvidence(await runScenario('compute-latency', ctx()));
    for (const mode of ['inline', 'pool', 'service']) {
      const steps = ev.steps.filter((s) => s.labels.mode === mode);
      expect(steps.map((s) => s.labels.taskRate)).toEqual(['0', '0.5']);
      const loaded = steps[1]!;
      expect(loaded.extra.task_achieved_per_s).toBeGreaterThan(0);
      expect(loaded.extra.task_errors).toBe(0);
      expect(loaded.extra.loop_utilization).toBeGreaterThan(0);
    }
    const pool = ev.steps.find((s) => s.labels.mode === 'pool' && s.labels.taskRate === '0.5')!;
    expect(ev.metrics.colocated_fast_route_p99_ms).toBe(pool.latency.p99);
  }, 180_000);
});

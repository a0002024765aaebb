// npm run bench:events: the archfit outbox beside pg-boss 10 on the same Postgres in the same
// run. Throughput (events/s persisted and handled) and publish-to-handle latency at a fixed
// offered rate. Ends with `throughput: <ratio>x pg-boss`. A benchmark, not a test: it prints
// figures and checks nothing but that every event was handled.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { createArchfitSystem } from './events/archfit-system.js';
import { createPgBossSystem } from './events/pgboss-system.js';
import type { EventSystem } from './events/system.js';
import { measureLatency, measureThroughput, type LatencyResult, type ThroughputResult } from './events/workload.js';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`${name} must be a positive integer, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

const EVENTS = positiveInt('BENCH_EVENTS', 20_000);
const TX_SIZE = positiveInt('BENCH_TX_SIZE', 10);
const PRODUCERS = positiveInt('BENCH_PRODUCERS', 4);
const RATE = positiveInt('BENCH_RATE', 1000);
const SECONDS = positiveInt('BENCH_SECONDS', 10);
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function createDatabase(): Promise<{ url: string; drop(): Promise<void>; version: string }> {
  const name = `archfit_bench_events_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    process.stderr.write(`cannot reach PostgreSQL at ${ADMIN_URL} (set BENCH_ADMIN_DATABASE_URL): ${String(err)}\n`);
    process.exit(2);
  }
  const version = (await admin.query<{ v: string }>(`SELECT current_setting('server_version') v`)).rows[0]!.v;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

const db = await createDatabase();
const producers = new pg.Pool({ connectionString: db.url, max: 20 });
producers.on('error', () => {});
const systems: EventSystem[] = [];
try {
  const archfit = await createArchfitSystem(db.url);
  const boss = await createPgBossSystem(db.url);
  systems.push(archfit, boss);
  process.stdout.write(
    `events benchmark on PostgreSQL ${db.version} (${new URL(ADMIN_URL).host}), node ${process.version}, ` +
      `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start (figures from a busy machine are not comparable across runs, only within one)\n` +
      `throughput: ${fmt(EVENTS)} events, transactions of ${TX_SIZE}, ${PRODUCERS} producers; ` +
      `latency: ${fmt(RATE)} events/s offered for ${SECONDS} s, one event per transaction\n`,
  );
  // A short warm-up of each so neither pays for first connections and JIT in its figures.
  for (const s of systems) await measureThroughput(s, producers, { events: 500, txSize: TX_SIZE, producers: PRODUCERS, run: `warm${systems.indexOf(s)}` });
  const tp = new Map<EventSystem, ThroughputResult>();
  const lat = new Map<EventSystem, LatencyResult>();
  for (const s of systems) {
    process.stdout.write(`  ${s.name}: throughput run...\n`);
    tp.set(s, await measureThroughput(s, producers, { events: EVENTS, txSize: TX_SIZE, producers: PRODUCERS, run: 'tp' }));
  }
  for (const s of systems) {
    process.stdout.write(`  ${s.name}: latency run...\n`);
    lat.set(s, await measureLatency(s, producers, { rate: RATE, seconds: SECONDS, run: 'lat' }));
  }
  const a = { tp: tp.get(archfit)!, lat: lat.get(archfit)! };
  const b = { tp: tp.get(boss)!, lat: lat.get(boss)! };
  const rows: Array<[string, string, string, string]> = [
    ['persisted (events/s)', fmt(a.tp.persistedPerSecond), fmt(b.tp.persistedPerSecond), ratio(a.tp.persistedPerSecond, b.tp.persistedPerSecond)],
    ['handled (events/s)', fmt(a.tp.handledPerSecond), fmt(b.tp.handledPerSecond), ratio(a.tp.handledPerSecond, b.tp.handledPerSecond)],
    [`achieved rate (of ${fmt(RATE)}/s)`, fmt(a.lat.achievedPerSecond), fmt(b.lat.achievedPerSecond), ratio(a.lat.achievedPerSecond, b.lat.achievedPerSecond)],
    ['commit-to-handle p50 (ms)', fmt(a.lat.fromCommit.p50, 2), fmt(b.lat.fromCommit.p50, 2), ratio(a.lat.fromCommit.p50, b.lat.fromCommit.p50)],
    ['commit-to-handle p99 (ms)', fmt(a.lat.fromCommit.p99, 2), fmt(b.lat.fromCommit.p99, 2), ratio(a.lat.fromCommit.p99, b.lat.fromCommit.p99)],
    ['commit-to-handle max (ms)', fmt(a.lat.fromCommit.max, 2), fmt(b.lat.fromCommit.max, 2), ratio(a.lat.fromCommit.max, b.lat.fromCommit.max)],
    ['due-to-handle p50 (ms)', fmt(a.lat.fromDue.p50, 2), fmt(b.lat.fromDue.p50, 2), ratio(a.lat.fromDue.p50, b.lat.fromDue.p50)],
    ['due-to-handle p99 (ms)', fmt(a.lat.fromDue.p99, 2), fmt(b.lat.fromDue.p99, 2), ratio(a.lat.fromDue.p99, b.lat.fromDue.p99)],
  ];
  const header: [string, string, string, string] = ['', archfit.name, boss.name, 'archfit / pg-boss'];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  process.stdout.write(`\n${line(header)}\n${rows.map(line).join('\n')}\n\n`);
  for (const s of systems) process.stdout.write(`${s.describe()}\n`);
  const handledRatio = a.tp.handledPerSecond / b.tp.handledPerSecond;
  process.stdout.write(
    `target: handled throughput within 1.5x of pg-boss (ratio >= 0.67): ${handledRatio >= 1 / 1.5 ? 'met' : 'NOT met'}\n` +
      `target: commit-to-handle p99 < 50 ms at ${fmt(RATE)} events/s offered: ${a.lat.fromCommit.p99 < 50 ? 'met' : 'NOT met'} (${fmt(a.lat.fromCommit.p99, 2)} ms; ` +
      `publisher achieved ${fmt(a.lat.achievedPerSecond)}/s, due-to-handle p99 ${fmt(a.lat.fromDue.p99, 2)} ms)\n` +
      `throughput: ${handledRatio.toFixed(2)}x pg-boss\n`,
  );
} finally {
  for (const s of systems) await s.close().catch(() => {});
  await producers.end();
  await db.drop();
}

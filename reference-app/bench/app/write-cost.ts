/**
 * `npx tsx reference-app/bench/app/write-cost.ts [--rate 200] [--seconds 10] [--relay in-process|worker]
 *   [--target app|bare|bare-inline|both|all] [--pool-max 10] [--cpu-prof dir] [--keep]`
 *
 * `bare` is the bare server's outbox mode (no notifications), `bare-inline` its inline mode
 * (notifications in the bid's transaction, no outbox); both = app and bare, all = the three.
 *
 * Where a bid's cost goes, counted rather than timed (issue 16): bids at one fixed rate against
 * the app and/or the bare server, each on a database of its own seeded alike (bench:app's
 * fixture), then a wait until the app's relay has delivered them. Per bid it prints: commits and
 * rollbacks (pg_stat_database), WAL records, bytes, writes and syncs (pg_stat_wal, or pg_stat_io
 * on PostgreSQL 18; cluster-wide, so read them on a quiet server), CPU time of the server, of
 * that database's PostgreSQL backends and of this load generator (/proc, Linux only), the
 * statements the server sent by their first 48 characters, and how many pool checkouts had to
 * wait (app/pg-probe.mjs, preloaded). WRITE_COST_PERF=<file> also records `perf record -a -g`
 * over the measured run. Database: as bench:app (LOAD_ADMIN_DATABASE_URL, else embedded).
 * Loopback only; bounded (one warm-up, one run, a drain of at most 30 s).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startApp, type RunningApp } from '../../../load/runner/app-process.js';
import { createDatabase, readCounters, resolveAdminServer } from '../../../load/runner/database.js';
import { runOpenModel } from '../../../load/runner/open-model.js';
import { bidWrite, seedBench } from './workloads.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    relay: { type: 'string', default: 'in-process' },
    target: { type: 'string', default: 'both' },
    'pool-max': { type: 'string', default: '10' },
    'cpu-prof': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const log = (line: string) => process.stdout.write(`${line}\n`);
const probeDir = mkdtempSync(path.join(tmpdir(), 'write-cost-'));
const preload = (file: string) => `--import ${pathToFileURL(fileURLToPath(new URL(file, import.meta.url))).href}`;
// --cpu-prof <dir>: each server writes a V8 CPU profile there when it stops (as in bench:app).
const profile: Record<string, string> = values['cpu-prof'] ? { BENCH_CPU_PROF_DIR: path.resolve(values['cpu-prof']) } : {};
const nodeOptions = [preload('./pg-probe.mjs'), ...(values['cpu-prof'] ? [preload('./cpu-profile.mjs')] : [])].join(' ');
if (values['cpu-prof']) mkdirSync(values['cpu-prof'], { recursive: true });
const admin = await resolveAdminServer();
const secret = randomBytes(32).toString('base64url');

async function walCounters(c: pg.Client) {
  await c.query('SELECT pg_stat_clear_snapshot()');
  // PostgreSQL 18 moved WAL writes and syncs from pg_stat_wal to pg_stat_io.
  const v18 = Number((await c.query("SELECT current_setting('server_version_num') AS v")).rows[0].v) >= 180000;
  const r = await c.query(
    v18
      ? `SELECT w.wal_records, w.wal_bytes, io.writes AS wal_write, io.fsyncs AS wal_sync FROM pg_stat_wal w,
           (SELECT sum(writes) AS writes, sum(fsyncs) AS fsyncs FROM pg_stat_io WHERE object = 'wal') io`
      : 'SELECT wal_records, wal_write, wal_sync, wal_bytes FROM pg_stat_wal',
  );
  return Object.fromEntries(Object.entries(r.rows[0]).map(([k, v]) => [k, Number(v)]));
}

/** CPU seconds (user + system) of one process, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
/** Backends (and autovacuum workers) of one database: their process titles name it. */
function postgresCpuSeconds(database: string): number {
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(` ${database} `)) sum += cpuSeconds(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

type Measured = 'app' | 'bare' | 'bare-inline';
const TARGETS: Record<string, Measured[]> = { app: ['app'], bare: ['bare'], 'bare-inline': ['bare-inline'], both: ['app', 'bare'], all: ['app', 'bare-inline', 'bare'] };

async function measure(name: Measured) {
  const db = await createDatabase(admin.url, `write_cost_${name.replace("-", "_")}`);
  let server: RunningApp | undefined;
  let seedApp: RunningApp | undefined;
  const watcher = new pg.Client({ connectionString: db.url });
  try {
    const env = { DATABASE_URL: db.url, AUTH_TOKEN_SECRET: secret, DB_POOL_MAX: values['pool-max']!, BID_STRATEGY: 'conditional-update', PG_PROBE_DIR: probeDir, NODE_OPTIONS: nodeOptions };
    // The app migrates and seeds; the bare server then runs on the seeded database.
    seedApp = await startApp({ env: { ...env, ...(name === 'app' ? profile : {}), ...(values.relay === 'worker' || name !== 'app' ? { NOTIFICATIONS_RUN: 'worker' } : {}) } });
    const fx = await seedBench(seedApp.url, { consumers: 8, listings: 100 });
    if (name !== 'app') {
      await seedApp.stop();
      seedApp = undefined;
      server = await startApp({ env: { ...env, ...profile, BARE_MODE: name === 'bare' ? 'outbox' : 'inline' }, entry: 'reference-app/bench/bare-server.ts' });
    } else server = seedApp;
    await watcher.connect();
    const pending = async () => Number((await watcher.query(`SELECT count(*) AS n FROM events.publication WHERE status = 'pending' AND consumer = 'notifications'`)).rows[0].n);
    // Warm-up, then let the relay drain and the statistics settle.
    await runOpenModel({ target: server.url, rate, durationS: 2, next: bidWrite(fx).next });
    const drain = async () => {
      const until = Date.now() + 30_000;
      while (Date.now() < until && values.relay !== 'worker' && name === 'app' && (await pending()) > 0) await new Promise((r) => setTimeout(r, 50));
    };
    await drain();
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(server.pid, 'SIGWINCH');
    await new Promise((r) => setTimeout(r, 300));
    if (!readdirSync(probeDir).some((f) => f.includes(String(server!.pid)))) throw new Error(`no probe output from ${name}: ${server.output()}`);
    const db0 = await readCounters(watcher);
    const wal0 = await walCounters(watcher);
    const cpu0 = { server: cpuSeconds(server.pid), pg: postgresCpuSeconds(new URL(db.url).pathname.slice(1)), self: process.cpuUsage() };
    const workload = bidWrite(fx);
    const offset = 100_000;
    const t0 = Date.now();
    // WRITE_COST_PERF=<file>: a system-wide `perf record` over the measured run (PostgreSQL's share by symbol).
    const perf = process.env.WRITE_COST_PERF
      ? spawn('perf', ['record', '-F', '499', '-a', '-g', '-o', `${process.env.WRITE_COST_PERF}.${name}`, '--', 'sleep', String(seconds)], { stdio: 'ignore' })
      : undefined;
    const result = await runOpenModel({ target: server.url, rate, durationS: seconds, next: (n) => workload.next(n + offset) });
    if (perf && perf.exitCode === null) await once(perf, 'exit');
    await drain();
    const cpu1 = { server: cpuSeconds(server.pid), pg: postgresCpuSeconds(new URL(db.url).pathname.slice(1)), self: process.cpuUsage(cpu0.self) };
    const drainedMs = Date.now() - t0 - seconds * 1000;
    // Backends report their statistics once idle, within 10 s (PostgreSQL 15 and later): wait it out.
    await new Promise((r) => setTimeout(r, 1500));
    try {
      process.kill(server.pid, 'SIGWINCH');
    } catch {
      throw new Error(`${name} exited during the run: ${server.output()}`);
    }
    await new Promise((r) => setTimeout(r, 10_500));
    const db1 = await readCounters(watcher);
    const wal1 = await walCounters(watcher);
    await new Promise((r) => setTimeout(r, 300));
    const files = readdirSync(probeDir).filter((f) => f.includes(String(server!.pid)));
    const stats = JSON.parse(readFileSync(path.join(probeDir, files[0]!), 'utf8'));
    const bids = result.completed;
    const per = (n: number) => (n / bids).toFixed(2);
    log(`\n${name}: ${bids} bids at ${rate}/s over ${seconds} s (relay ${name === 'app' ? values.relay : 'none'}; drained ${Math.max(0, drainedMs)} ms after)`);
    log(`  answered ${result.achieved} with 201/422, errors ${result.errors.total}; p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms`);
    log(`  per bid: commits ${per(db1.xact_commit - db0.xact_commit)}, rollbacks ${per(db1.xact_rollback - db0.xact_rollback)}, WAL records ${per(wal1.wal_records! - wal0.wal_records!)}, WAL writes ${per(wal1.wal_write! - wal0.wal_write!)}, WAL syncs ${per(wal1.wal_sync! - wal0.wal_sync!)}, WAL bytes ${per(wal1.wal_bytes! - wal0.wal_bytes!)}`);
    const ms = (sec: number) => ((sec * 1000) / bids).toFixed(2);
    log(`  CPU per bid, run and drain (this database's backends; exited ones and the server's background processes not counted): server ${ms(cpu1.server - cpu0.server)} ms, PostgreSQL ${ms(cpu1.pg - cpu0.pg)} ms, load generator ${ms((cpu1.self.user + cpu1.self.system) / 1e6)} ms`);
    log(`  pool: ${stats.connects} checkouts (${per(stats.connects)} per bid), ${stats.waited} waited (${stats.waitMs.toFixed(0)} ms in all, max ${stats.maxWaitMs.toFixed(1)} ms)`);
    const statements = Object.entries(stats.statements as Record<string, number>).sort((a, b) => b[1] - a[1]);
    log(`  statements: ${statements.reduce((a, [, n]) => a + n, 0)} (${per(statements.reduce((a, [, n]) => a + n, 0))} per bid)`);
    for (const [text, n] of statements) log(`    ${per(n).padStart(6)}  ${text}`);
  } finally {
    await watcher.end().catch(() => {});
    await server?.stop();
    await seedApp?.stop();
    if (values.keep) log(`  kept: ${db.url}`);
    else await db.drop().catch(() => {});
  }
}

try {
  const targets = TARGETS[values.target!];
  if (!targets) throw new Error(`--target takes ${Object.keys(TARGETS).join(', ')}, got "${values.target}"`);
  for (const t of targets) await measure(t);
} finally {
  await admin.stop();
}

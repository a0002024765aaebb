/**
 * `npm run bench:app [-- --quick] [--workloads read,write] [--fixed-rate 200] [--relay worker] [--json out.json] [--cpu-prof dir]`
 *
 * The cost of the architecture, measured: the reference app's public listing read and consumer
 * bid write against bare Fastify + pg servers (bare-server.ts), on the same database, seeded data
 * and pool size, in one run. Reads are compared with `bare` (catalog's SELECT). Bids are compared
 * with two baselines, each ratio from the same run: `bare-inline` (primary: the same business
 * work, notification and delivery rows written in the bid's transaction, no outbox, so the
 * ratio prices the architecture) and `bare` (secondary: the bid SQL with undelivered outbox rows
 * and no notifications, so the ratio prices the notifications feature too). All run as child
 * processes (as the load scenarios run the app); the load package's open-model runner drives
 * them, taking turns step by step. Per workload it reports the sustainable rate (a capacity
 * search with the dau scenario's SLO rule) and p50/p99 at one fixed common rate, the ratios
 * app/baseline (goal >= 0.9x for the rate, on the primary), and each server's CPU per request.
 * The load average before and after and the runner's calibration are printed beside them: this
 * machine may be shared.
 *
 * Bounded: every step is rate x duration with the runner's in-flight cap and 10 s timeout, the
 * search has a step limit, and the whole run stops after --max-minutes (default 20).
 * Loopback only. Database: DATABASE_URL (used as is: the app migrates it and the bench writes
 * bids into it), else LOAD_ADMIN_DATABASE_URL (a fresh database on it), else a throw-away
 * embedded PostgreSQL, as `npm run load` does. It prints figures; it checks nothing.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApp, type RunningApp } from '../../load/runner/app-process.js';
import { calibrate, describeCalibration, type CalibrationResult } from '../../load/runner/calibrate.js';
import { createDatabase, postgresVersion, resolveAdminServer, type AdminServer } from '../../load/runner/database.js';
import { BARE_CONSUMER } from './bare-server.js';
import { compareWorkload, describeWorkload, type ComparePlan, type Target, type WorkloadReport } from './app/compare.js';
import { bidWrite, listingRead, seedBench } from './app/workloads.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    workloads: { type: 'string', default: 'read,write' },
    'fixed-rate': { type: 'string' },
    'fixed-pairs': { type: 'string' },
    'step-s': { type: 'string' },
    'start-rate': { type: 'string' },
    'max-rate': { type: 'string' },
    'pool-max': { type: 'string', default: '10' },
    'app-pool-max': { type: 'string' },
    relay: { type: 'string', default: 'in-process' },
    'max-minutes': { type: 'string', default: '20' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) {
    process.stderr.write(`bench:app: --${name} must be a positive number, got "${text}"\n`);
    process.exit(2);
  }
  return n;
}

const quick = values.quick!;
// The dau scenario's SLO, read from its definition so the two can never drift apart.
const dau = JSON.parse(readFileSync(new URL('../../load/scenarios/dau.json', import.meta.url), 'utf8')) as { slo: ComparePlan['slo'] };
const plan: ComparePlan = {
  search: quick
    ? { startRate: positive('start-rate', values['start-rate'], 100), stepFactor: 2, maxRate: positive('max-rate', values['max-rate'], 6400), maxSteps: 7, refineSteps: 1 }
    : { startRate: positive('start-rate', values['start-rate'], 100), stepFactor: 1.5, maxRate: positive('max-rate', values['max-rate'], 8000), maxSteps: 12, refineSteps: 2 },
  // The dau scenario's rule: p99 <= 500 ms and errors <= 0.1 % per step.
  slo: dau.slo,
  fixedRate: positive('fixed-rate', values['fixed-rate'], 200),
  fixedPairs: Math.round(positive('fixed-pairs', values['fixed-pairs'], quick ? 1 : 2)),
  stepDurationS: positive('step-s', values['step-s'], quick ? 3 : 5),
  // At the fixed rate, per target, unmeasured. A fresh process answers its first 2,000 bids
  // slowly (5 s windows at 200/s, 2026-12-05, load 1-3: app p99 117-151 ms in the first window,
  // 60-67 ms in the second, 15-46 ms after; bare-inline 193 ms, then 15 ms), and a 2 s warm-up
  // at 100/s left the app's first fixed step inside that.
  warmupS: quick ? 3 : 8,
  connections: 64,
  pauseMs: 500,
  retryBehind: 1,
};
const poolMax = Math.round(positive('pool-max', values['pool-max'], 10));
// An experiment, not the comparison: the app's pool also holds the relay's LISTEN connection and
// up to 4 delivery transactions; --app-pool-max gives the app more than the bare server.
const appPoolMax = Math.round(positive('app-pool-max', values['app-pool-max'], poolMax));
const relay = values.relay!;
if (relay !== 'in-process' && relay !== 'worker') {
  process.stderr.write(`bench:app: --relay must be in-process (the app as it ships) or worker (notifications left to a worker that is not started), got "${relay}"\n`);
  process.exit(2);
}
const wanted = values.workloads!.split(',');
if (wanted.some((w) => w !== 'read' && w !== 'write')) {
  process.stderr.write(`bench:app: --workloads takes read and/or write, got "${values.workloads}"\n`);
  process.exit(2);
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const log = (line: string) => process.stdout.write(`${line}\n`);
const controller = new AbortController();
const deadline = setTimeout(() => {
  log(`bench:app: --max-minutes ${values['max-minutes']} reached; stopping after the current step`);
  controller.abort();
}, positive('max-minutes', values['max-minutes'], 20) * 60_000);
deadline.unref();
process.once('SIGINT', () => controller.abort());

const loadBefore = loadavg();
log(`bench:app: Node ${process.version}, ${cpus().length} cores, load average at start ${load()} (1/5/15 min)`);
log(`plan: workloads ${wanted.join(', ')}; warm-up ${plan.warmupS} s per target at the fixed rate; fixed rate ${plan.fixedRate}/s x ${plan.stepDurationS} s, ${plan.fixedPairs} round(s) over app and the baselines; search from ${plan.search.startRate}/s x${plan.search.stepFactor} up to ${plan.search.maxRate}/s (${plan.search.maxSteps} steps, ${plan.search.refineSteps} bisections), SLO p99 <= ${plan.slo.p99Ms} ms and errors <= ${plan.slo.maxErrorRate * 100} %; pool ${appPoolMax === poolMax ? `${poolMax} connections each` : `app ${appPoolMax}, bare ${poolMax} connections`}; relay ${relay}`);

let admin: AdminServer | undefined;
let db: { url: string; drop(): Promise<void> };
if (process.env.DATABASE_URL) {
  db = { url: process.env.DATABASE_URL, drop: async () => {} };
} else {
  admin = await resolveAdminServer();
  db = await createDatabase(admin.url, 'bench_app');
}
const secret = randomBytes(32).toString('base64url');
// --cpu-prof <dir>: both servers write a V8 CPU profile there when they stop (app/cpu-profile.mjs;
// NODE_OPTIONS refuses --cpu-prof itself).
const profileDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const profile: Record<string, string> = profileDir
  ? { BENCH_CPU_PROF_DIR: profileDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(fileURLToPath(new URL('./app/cpu-profile.mjs', import.meta.url))).href}`.trim() }
  : {};
const env = { DATABASE_URL: db.url, AUTH_TOKEN_SECRET: secret, DB_POOL_MAX: String(poolMax), ...profile };
let app: RunningApp | undefined;
let bare: RunningApp | undefined;
let bareInline: RunningApp | undefined;
let watcher: pg.Client | undefined;
let calibration: CalibrationResult | undefined;
const reports: WorkloadReport[] = [];
try {
  app = await startApp({ env: { ...env, DB_POOL_MAX: String(appPoolMax), BID_STRATEGY: 'conditional-update', ...(relay === 'worker' ? { NOTIFICATIONS_RUN: 'worker' } : {}) } });
  bare = await startApp({ env: { ...env, BARE_MODE: 'outbox' }, entry: 'reference-app/bench/bare-server.ts' });
  if (wanted.includes('write')) bareInline = await startApp({ env: { ...env, BARE_MODE: 'inline' }, entry: 'reference-app/bench/bare-server.ts' });
  const pgVersion = await postgresVersion(db.url);
  log(`servers: app ${app.url}, bare ${bare.url}${bareInline ? `, bare-inline ${bareInline.url}` : ''}; PostgreSQL ${pgVersion} (${process.env.DATABASE_URL ? 'DATABASE_URL' : admin!.description})`);
  const fx = await seedBench(app.url, { consumers: 8, listings: 100 });
  log(`seeded: ${fx.consumerTokens.length} consumers, ${fx.listings.length} auction listings with an opening bid each`);

  calibration = await calibrate(0.1);
  log(describeCalibration(calibration) + (calibration.passed ? '' : ' -- MISSED: read the figures below as indicative'));

  watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
  // The app's relay delivers each bid's events to notifications. Its work is charged to the app
  // (server CPU per request), and it must be done before the bare server's turn.
  const drained = async () => {
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const r = await watcher!.query<{ n: string }>(`SELECT count(*) AS n FROM events.publication WHERE status = 'pending' AND consumer <> $1`, [BARE_CONSUMER]);
      if (Number(r.rows[0]?.n ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log('  (the app\'s relay still had pending events after 30 s; going on)');
  };
  const appTarget: Target = { name: 'app', url: app.url, readLoop: app.readLoop, ...(relay === 'in-process' ? { settle: drained } : {}) };
  const bareTarget = (description: string): Target => ({ name: 'bare', url: bare!.url, readLoop: bare!.readLoop, description });
  const readTargets = { app: appTarget, baselines: [bareTarget("bare Fastify + pg running catalog's SELECT")] };
  const writeTargets = {
    app: appTarget,
    baselines: [
      {
        name: 'bare-inline',
        url: bareInline?.url ?? '',
        readLoop: bareInline?.readLoop,
        description:
          "the bid SQL, and in the bid's transaction the notification and delivery rows the app's handler writes for its events; no outbox, relay or inbox (app/bare-inline prices the architecture)",
      },
      bareTarget('the bid SQL with outbox rows nothing delivers, no notifications (app/bare prices the notifications feature as well)'),
    ],
  };
  const offset = { n: 0 };
  for (const w of wanted) {
    if (controller.signal.aborted) break;
    const workload = w === 'read' ? listingRead(fx) : bidWrite(fx);
    const targets = w === 'read' ? readTargets : writeTargets;
    const n = targets.baselines.length + 1;
    log(`\n${workload.name}: ${plan.fixedPairs * n} fixed-rate steps, then ${n} capacity searches taking turns`);
    reports.push(await compareWorkload(targets, workload, plan, { signal: controller.signal, log, offset }));
  }
} finally {
  await watcher?.end().catch(() => {});
  await Promise.all([app?.stop(), bare?.stop(), bareInline?.stop()]);
  if (admin) await db.drop().catch(() => {});
  await admin?.stop();
}

const loadAfter = loadavg();
log('');
for (const r of reports) for (const line of describeWorkload(r)) log(line);
log(`\nload average: before ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}, after ${load()} (1/5/15 min); ${calibration ? describeCalibration(calibration) : 'no calibration'}`);
if (controller.signal.aborted) log('the run was cut short (deadline or Ctrl-C): the figures are partial');
if (values.json) {
  await writeFile(
    values.json,
    JSON.stringify({ startedLoadAverage: loadBefore, finishedLoadAverage: loadAfter, calibration, plan, poolMax, appPoolMax, relay, interrupted: controller.signal.aborted, workloads: reports }, null, 2),
  );
  log(`written: ${values.json}`);
}

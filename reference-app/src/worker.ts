// `npm run worker -- notifications`: runs a module's event handlers out of the app process.
// The same handlers: only where they run changes. With NOTIFICATIONS_RUN=worker (set it on the
// app too, so it leaves them to this process) the worker reads the Postgres outbox; with
// NOTIFICATIONS_RUN=jetstream (app and worker) the app forwards the events to NATS JetStream
// and any number of workers share them from there.
import closeWithGrace from 'close-with-grace';
import Fastify from 'fastify';
import { createNotificationsModule } from './modules/notifications/index.js';
import { runMigrations } from './shared/db/migrations.js';
import { createPool } from './shared/db/pool.js';
import {
  createEventBus,
  createEventsOperations,
  createJetStreamSubscriber,
  jetStreamSettingsFromEnv,
  placementOf,
  runsInWorker,
} from './shared/events/index.js';
import type { AppModule, ModuleDeps } from './shared/module.js';

/** Modules whose handlers can run in a worker. A module joins by being listed here. */
const WORKER_MODULES: Record<string, (deps: ModuleDeps) => AppModule> = {
  notifications: (deps) => createNotificationsModule(deps),
};

const USAGE = `usage: npm run worker -- <module>...   (modules: ${Object.keys(WORKER_MODULES).join(', ')}; needs DATABASE_URL)`;

function fail(message: string): never {
  process.stderr.write(`worker: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const names = process.argv.slice(2).filter((a) => a !== '--');
if (names.length === 0) fail('name at least one module');
const unknown = names.filter((n) => !(n in WORKER_MODULES));
if (unknown.length > 0) fail(`unknown module ${unknown.join(', ')}`);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_URL is not set (the worker joins the database the app uses)');

const logger = Fastify({ logger: { level: process.env.LOG_LEVEL || 'info' } }).log;
const pool = createPool({
  connectionString: databaseUrl,
  max: Number(process.env.DB_POOL_MAX) || 10,
  applicationName: `archfit-worker-${names.join('-')}`,
});
const events = createEventBus({ pool, logger, consumers: runsInWorker(names), ensureSchema: false });
const onJetStream = names.filter((name) => placementOf(name) === 'jetstream');
// Modules placed on JetStream subscribe through it; their own publishes still go to the outbox.
const fromJetStream = onJetStream.length > 0
  ? createJetStreamSubscriber({ pool, outbox: events, settings: jetStreamSettingsFromEnv(), logger })
  : undefined;
const modules = names.map((name) =>
  WORKER_MODULES[name]!({ pool, events: onJetStream.includes(name) ? fromJetStream! : events, logger }),
);
for (const name of names) {
  if (placementOf(name) === 'in-process') {
    logger.warn(
      { module: name },
      `${name.toUpperCase()}_RUN is not "worker" here; if the app runs with the same setting, it also runs these handlers (safe: they share the work)`,
    );
  }
}

// Idempotent and advisory-locked: a worker started before the app still finds its tables.
await runMigrations(pool, [createEventsOperations(), ...modules]);
await events.start();
await fromJetStream?.start();
for (const module of modules) await module.start?.();
const consumers = [...events.runningConsumers(), ...onJetStream.map((n) => `${n} (JetStream)`)];
logger.info({ modules: names, consumers }, 'worker running');
process.stdout.write(`worker ready: ${consumers.join(', ')}\n`);

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'worker stopping after an error');
  else logger.info({ signal }, 'worker stopping');
  for (const module of [...modules].reverse()) await module.stop?.();
  await fromJetStream?.stop();
  await events.stop();
  await pool.end();
});

import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { build } from './app.js';
import { banner } from './runtime/banner.js';
import { seedDemoData } from './runtime/demo-data.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './runtime/embedded-postgres.js';
import { readSettings } from './runtime/settings.js';

/**
 * Process entry: tracing SDK (opt-in), database (embedded by default, or DATABASE_URL),
 * the app, demo data, listen, and a clean stop on SIGINT/SIGTERM.
 */
// Start-up phases in ms since process start, logged once ready (where does a slow start go?).
const phases: Record<string, number> = { modulesLoaded: performance.now() };
const settings = readSettings(process.env);
// Loaded only when asked for: the SDK costs ~200 ms of start-up and nothing uses it otherwise.
const stopTracing = settings.otel ? (await import('./runtime/tracing-sdk.js')).startTracing() : undefined;

let embedded: EmbeddedDatabase | undefined;
let databaseUrl = settings.databaseUrl;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres({
    dataRoot: fileURLToPath(new URL('../.data', import.meta.url)),
    port: settings.embeddedPgPort,
  });
  databaseUrl = embedded.url;
  phases.databaseStarted = performance.now();
}

const app = await build({
  databaseUrl,
  poolMax: settings.poolMax,
  bidStrategy: settings.bidStrategy,
  logger: { level: settings.logLevel },
}).catch(async (error: unknown) => {
  await embedded?.stop();
  throw error;
});

phases.appBuilt = performance.now();

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'stopping after an error');
  else app.log.info({ signal }, 'stopping');
  // Order matters: stop taking requests and drain the pool before the database goes away.
  await app.close();
  await stopTracing?.();
  await embedded?.stop();
});

const seeded = settings.seed ?? embedded !== undefined;
if (seeded) await seedDemoData({ users: app.users, listings: app.listings });
phases.seeded = performance.now();
const address = await app.listen({ port: settings.port, host: settings.host });
phases.listening = performance.now();
app.log.info({ startupMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)])) }, 'started');
const url = address.replace('[::1]', 'localhost');
process.stdout.write(
  banner({
    url,
    database: embedded
      ? `embedded PostgreSQL on 127.0.0.1:${embedded.port} (${embedded.created ? 'created now' : 'reused'}, data in reference-app/.data/pg)`
      : 'DATABASE_URL',
    seeded,
    // performance.now() counts from process start: module loading and the TypeScript transform included.
    startupMs: phases.listening,
  }),
);

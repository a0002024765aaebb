// Child process of outbox-crash.test.ts: one relay delivering crashtest.tick to the crash
// consumer, whose effect is a row in crash_effect. SIGKILLed at random; SIGTERM stops it cleanly.
import pg from 'pg';
import { createEventBus } from '../../../src/shared/events/index.js';
import { CRASH_CONSUMER, crashTick } from './contract.js';

const LEASE_MS = 1500;
const name = process.env.CRASH_RELAY_NAME ?? `relay-${process.pid}`;
const pool = new pg.Pool({ connectionString: process.env.CRASH_DATABASE_URL!, max: 10 });
pool.on('error', () => {});
const bus = createEventBus({
  pool,
  consumers: [CRASH_CONSUMER],
  // maxAttempts far above the default 10: the test kills each relay 0.4-2.5 s after it starts,
  // so a publication whose handler outlives its lease (below) is claimed again and again while
  // the producer runs (8 claims in a 30 s run; a slow 60-90 s run on a busy machine passed 10
  // and dead-lettered it, and the test waited for it forever). Dead-lettering after N claims is
  // reliability.test.ts's subject; this test is about nothing lost and nothing doubled.
  relay: { leaseMs: LEASE_MS, pollIntervalMs: 200, concurrency: 6, batchSize: 32, backoff: { baseMs: 50, maxMs: 500 }, maxAttempts: 1_000 },
  prune: false,
});
bus.subscribe<{ seq: number }>(CRASH_CONSUMER, crashTick.type, async (event, tx) => {
  // A few handlers outlive their lease while their relay is alive: the other relay may
  // re-claim them only once the delivery transaction (which holds their row locks) is over.
  if (event.payload.seq % 1999 === 0) await new Promise((r) => setTimeout(r, LEASE_MS + 700));
  await tx.query('INSERT INTO crash_effect (event_id, seq, relay) VALUES ($1, $2, $3)', [event.id, event.payload.seq, name]);
});
await bus.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void bus
    .stop()
    .then(() => pool.end())
    .then(() => process.exit(0));
});

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
  relay: { leaseMs: LEASE_MS, pollIntervalMs: 200, concurrency: 6, batchSize: 32, backoff: { baseMs: 50, maxMs: 500 } },
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

import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import {
  createEventBus,
  createJetStreamSubscriber,
  defineEvent,
  ensureEventsSchema,
  JETSTREAM_FORWARDER,
  type JetStreamEventBus,
  type JetStreamSettings,
  type PostgresEventBus,
} from '../../src/shared/events/index.js';
import { count, inTx, testPool, waitFor } from './support.js';

// The outbox forwards to a real NATS JetStream (127.0.0.1:4222) on a stream and subjects
// unique to this run; two subscriber instances share one durable consumer.
const run = randomBytes(4).toString('hex');
const settings: JetStreamSettings = {
  servers: process.env.EVENTS_NATS_URL || 'nats://127.0.0.1:4222',
  stream: `ARCHFIT_TEST_${run}`,
  subjectPrefix: `archfit.test.${run}`,
  maxDeliver: 5,
  ackWaitMs: 5_000,
};
const shipped = defineEvent({
  type: 'jstest.shipped',
  version: 1,
  publisher: 'jstest',
  schema: Type.Object({ n: Type.Integer() }),
  subscribers: ['shipping-mails'],
});
const EVENTS = 200;

let db: TestDatabase;
let pool: pg.Pool;
let outbox: PostgresEventBus;
const subscribers: Array<{ bus: JetStreamEventBus; pool: pg.Pool }> = [];
let failedOnce = false;
let nc: NatsConnection;

beforeAll(async () => {
  // Connected first, so afterAll can delete the stream even if a later step fails.
  nc = await connect({ servers: settings.servers });
  db = await createTestDatabase('events_js');
  pool = testPool(db.url);
  await ensureEventsSchema(pool);
  await pool.query('CREATE TABLE effect (event_id uuid NOT NULL, n int NOT NULL, instance text NOT NULL)');
  outbox = createEventBus({
    pool,
    placement: (c) => (c === 'shipping-mails' ? 'jetstream' : 'in-process'),
    consumers: [JETSTREAM_FORWARDER],
    jetstream: settings,
    relay: { pollIntervalMs: 50 },
  });
  await outbox.start();
  for (const instance of ['sub-a', 'sub-b']) {
    const subPool = testPool(db.url, 4);
    const bus = createJetStreamSubscriber({ pool: subPool, outbox, settings });
    bus.subscribe<{ n: number }>('shipping-mails', shipped.type, async (event, tx) => {
      await tx.query('INSERT INTO effect VALUES ($1, $2, $3)', [event.id, event.payload.n, instance]);
      // One event fails its first delivery: JetStream must redeliver it, and only once in effect.
      if (event.payload.n === 7 && !failedOnce) {
        failedOnce = true;
        throw new Error('mail server hiccup');
      }
    });
    await bus.start();
    subscribers.push({ bus, pool: subPool });
  }
});

afterAll(async () => {
  for (const s of subscribers) {
    await s.bus.stop();
    await s.pool.end();
  }
  await outbox?.stop();
  if (nc) {
    await (await jetstreamManager(nc)).streams.delete(settings.stream).catch(() => {});
    await nc.drain();
  }
  await pool?.end();
  await db?.drop();
});

it('forwards committed events from the outbox to JetStream; subscriber instances share them, exactly once in effect', async () => {
  for (let i = 0; i < EVENTS; i += 10) {
    await inTx(pool, (tx) => outbox.publish(Array.from({ length: 10 }, (_, j) => shipped.create({ n: i + j })), tx));
  }
  await inTx(pool, (tx) => outbox.publish([shipped.create({ n: -1 })], tx), true);

  await waitFor('every event handled', async () => (await count(pool, 'SELECT count(DISTINCT event_id) n FROM effect')) === EVENTS, 20_000);
  // The consumer placed on JetStream has no outbox rows; the forwarder's are all completed.
  expect(await count(pool, `SELECT count(*) n FROM events.publication WHERE consumer = 'shipping-mails'`)).toBe(0);
  await waitFor('forwarder completed', async () =>
    (await count(pool, `SELECT count(*) n FROM events.publication WHERE consumer = $1 AND status = 'completed'`, [JETSTREAM_FORWARDER])) === EVENTS,
  );

  // A broker redelivery of an already handled event (here: the same envelope published again
  // under a new message id, as after the duplicate window) changes nothing.
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM events.event WHERE payload->>'n' = '3'`);
  const envelope = { id: rows[0]!.id, type: shipped.type, version: 1, payload: { n: 3 }, publishedAt: new Date().toISOString() };
  await jetstream(nc).publish(`${settings.subjectPrefix}.${shipped.type}`, JSON.stringify(envelope), { msgID: `replay-${run}` });
  const jsm = await jetstreamManager(nc);
  const durable = `shipping-mails__${shipped.type}`.replace(/[^A-Za-z0-9_-]/g, '_');
  await waitFor('the replay consumed and acked', async () => {
    const info = await jsm.consumers.info(settings.stream, durable);
    return info.delivered.stream_seq === EVENTS + 1 && info.num_pending === 0 && info.num_ack_pending === 0;
  });

  const total = await count(pool, 'SELECT count(*) n FROM effect');
  const perInstance = await pool.query<{ instance: string; n: string }>('SELECT instance, count(*) n FROM effect GROUP BY instance ORDER BY 1');
  process.stdout.write(
    `jetstream: ${EVENTS} events, effects ${total}, per instance ${perInstance.rows.map((r) => `${r.instance}=${r.n}`).join(' ')}\n`,
  );
  expect(failedOnce).toBe(true);
  expect(total).toBe(EVENTS);
  expect(await count(pool, 'SELECT count(*) n FROM effect WHERE n < 0')).toBe(0);
  expect(await count(pool, `SELECT count(*) n FROM events.inbox WHERE consumer = 'shipping-mails'`)).toBe(EVENTS);
});

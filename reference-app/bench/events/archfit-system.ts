import { Type } from '@sinclair/typebox';
import pg from 'pg';
import { createEventBus, defaultRelaySettings, defineEvent, ensureEventsSchema, type PostgresEventBus } from '../../src/shared/events/index.js';
import type { EventSystem } from './system.js';

const benchTick = defineEvent({
  type: 'bench.tick',
  version: 1,
  publisher: 'bench',
  schema: Type.Object({ seq: Type.Integer(), run: Type.String() }),
  subscribers: ['bench'],
});

const RELAY = { concurrency: 8, batchSize: 64 } as const;

/** The archfit outbox: publication rows in the caller's tx, NOTIFY wake-up, inbox dedupe per event. */
export async function createArchfitSystem(url: string): Promise<EventSystem> {
  const pool = new pg.Pool({ connectionString: url, max: RELAY.concurrency + 4 });
  pool.on('error', () => {});
  await ensureEventsSchema(pool);
  await pool.query('CREATE TABLE IF NOT EXISTS archfit_effect (seq int NOT NULL, run text NOT NULL)');
  let bus: PostgresEventBus | undefined;
  let run = '';
  return {
    name: 'archfit outbox',
    async publish(tx, seqs) {
      // Both systems get the same publisher: a bus constructed once per run.
      await bus!.publish(seqs.map((seq) => benchTick.create({ seq, run })), tx);
    },
    afterCommit() {},
    async startConsumers(runName, onHandled) {
      run = runName;
      bus = createEventBus({ pool, consumers: ['bench'], relay: { ...RELAY }, prune: false, ensureSchema: false });
      bus.subscribe<{ seq: number; run: string }>('bench', benchTick.type, async (event, tx) => {
        await tx.query('INSERT INTO archfit_effect (seq, run) VALUES ($1, $2)', [event.payload.seq, event.payload.run]);
        onHandled(event.payload.seq);
      });
      await bus.start();
    },
    async stopConsumers() {
      await bus?.stop();
    },
    async effects() {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) n FROM archfit_effect WHERE run = $1', [run]);
      return Number(rows[0]!.n);
    },
    async close() {
      await bus?.stop();
      await pool.end();
    },
    describe: () =>
      `archfit: relay concurrency ${RELAY.concurrency}, claim batch ${RELAY.batchSize}, up to 16 deliveries per transaction (row locks + completion + inbox + effects), NOTIFY wake-up (throttled to one per ${defaultRelaySettings.notifyThrottleMs} ms per publisher) and ${defaultRelaySettings.hotPollMs} ms polling while busy`,
  };
}

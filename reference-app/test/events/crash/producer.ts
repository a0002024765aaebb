// Child process of outbox-crash.test.ts: publishes events in bursts, each burst in one
// transaction with its business rows; one burst in eight is rolled back on purpose. The test
// SIGKILLs it at random moments and starts it again until TARGET events have committed.
import pg from 'pg';
import { createEventBus } from '../../../src/shared/events/index.js';
import { crashTick } from './contract.js';

const url = process.env.CRASH_DATABASE_URL!;
const target = Number(process.env.CRASH_TARGET ?? 10_000);
const pool = new pg.Pool({ connectionString: url, max: 2 });
pool.on('error', () => {});
const bus = createEventBus({ pool, relay: false, prune: false });

async function committed(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) n FROM crash_business');
  return Number(rows[0]!.n);
}

let done = await committed();
process.stdout.write('ready\n');
while (done < target) {
  const burst = Math.min(1 + Math.floor(Math.random() * 25), target - done);
  const rollback = Math.random() < 0.125;
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const { rows } = await tx.query<{ seq: string }>('SELECT nextval(\'crash_seq\') seq FROM generate_series(1, $1)', [burst]);
    const seqs = rows.map((r) => Number(r.seq));
    await tx.query('INSERT INTO crash_business (seq) SELECT unnest($1::bigint[])', [seqs]);
    await bus.publish(seqs.map((seq) => crashTick.create({ seq })), tx);
    if (rollback) {
      await tx.query('ROLLBACK');
      await pool.query('INSERT INTO crash_rollback (events) VALUES ($1)', [burst]);
    } else {
      await tx.query('COMMIT');
      done += burst;
    }
  } finally {
    tx.release();
  }
}
await pool.end();
process.exit(0);

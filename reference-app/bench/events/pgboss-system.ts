import pg from 'pg';
import PgBoss from 'pg-boss';
import type { EventSystem } from './system.js';

const WORKERS = 8;
// pg-boss 10 waits out its polling interval after each fetch unless woken, so the batch size
// sets its ceiling (workers x batch / interval) once producers stop waking it.
// 500 gave pg-boss its best throughput here (50: ~1,000/s, 200: ~1,500/s, 500: ~1,570/s).
const BATCH = Number(process.env.BENCH_PGBOSS_BATCH) || 500;
const POLL_SECONDS = 0.5; // pg-boss 10's minimum

/**
 * pg-boss 10 doing the same job: jobs inserted in the caller's transaction (its `db` adapter),
 * workers writing one effect row per job. pg-boss 10 has no LISTEN/NOTIFY; in one process it
 * can wake its workers with notifyWorker(), which we call after each commit to give it the
 * same head start our NOTIFY gives us.
 */
export async function createPgBossSystem(url: string): Promise<EventSystem> {
  const pool = new pg.Pool({ connectionString: url, max: WORKERS + 4 });
  pool.on('error', () => {});
  await pool.query('CREATE TABLE IF NOT EXISTS pgboss_effect (seq int NOT NULL, run text NOT NULL)');
  const boss = new PgBoss({ connectionString: url, max: WORKERS + 4, schedule: false, supervise: false });
  boss.on('error', (err) => process.stderr.write(`pg-boss error: ${String(err)}\n`));
  await boss.start();
  let queue = '';
  let workerIds: string[] = [];
  return {
    name: 'pg-boss 10',
    async publish(tx, seqs) {
      await boss.insert(
        seqs.map((seq) => ({ name: queue, data: { seq, run: queue } })),
        { db: { executeSql: (text, values) => tx.query(text, values) } },
      );
    },
    afterCommit() {
      for (const id of workerIds) boss.notifyWorker(id);
    },
    async startConsumers(run, onHandled) {
      queue = `bench-${run}`;
      await boss.createQueue(queue);
      workerIds = [];
      for (let i = 0; i < WORKERS; i++) {
        workerIds.push(
          await boss.work<{ seq: number; run: string }>(
            queue,
            { batchSize: BATCH, pollingIntervalSeconds: POLL_SECONDS },
            async (jobs) => {
              for (const job of jobs) {
                await pool.query('INSERT INTO pgboss_effect (seq, run) VALUES ($1, $2)', [job.data.seq, job.data.run]);
                onHandled(job.data.seq);
              }
            },
          ),
        );
      }
    },
    async stopConsumers() {
      await boss.offWork(queue);
    },
    async effects() {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) n FROM pgboss_effect WHERE run = $1', [queue]);
      return Number(rows[0]!.n);
    },
    async close() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await pool.end();
    },
    describe: () =>
      `pg-boss 10: ${WORKERS} workers, batchSize ${BATCH}, polling ${POLL_SECONDS} s, woken in-process by notifyWorker() after each commit`,
  };
}

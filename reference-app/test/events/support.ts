import pg from 'pg';
import type { PoolClient } from 'pg';

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Polls `remaining` until it reaches 0. Throws (with `what` and the count) if it has not gone
 * down for `stallMs`, or after `totalMs` in all: a backlog that drains slowly on a busy machine
 * passes, one that stops draining fails.
 */
export async function waitForDrain(
  what: string,
  remaining: () => Promise<number>,
  limits: { stallMs: number; totalMs: number },
  /** What to add to the error when it fails (the rows left, their locks): read at that moment. */
  describe: () => Promise<string> = async () => '',
): Promise<void> {
  const started = Date.now();
  let lowest = Infinity;
  let lastProgress = started;
  for (;;) {
    const left = await remaining();
    if (left === 0) return;
    const now = Date.now();
    if (left < lowest) {
      lowest = left;
      lastProgress = now;
    }
    if (now - lastProgress > limits.stallMs) {
      throw new Error(`waiting for ${what}: ${left} left, none done for ${limits.stallMs} ms\n${await describe()}`);
    }
    if (now - started > limits.totalMs) throw new Error(`waiting for ${what}: ${left} left after ${limits.totalMs} ms\n${await describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function testPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  return pool;
}

export async function inTx<T>(pool: pg.Pool, work: (tx: PoolClient) => Promise<T>, rollback = false): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query(rollback ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
}

export async function count(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

import type { PoolClient } from 'pg';
import { checkOut } from './checked-out.js';
import type { Pool } from './pool.js';

/** A transaction handle: a pg client on which BEGIN has been issued. Same type the EventBus takes. */
export type Tx = PoolClient;

/** Anything that can run a query: the pool itself or an open transaction. */
export type Queryable = Pick<PoolClient, 'query'>;

/**
 * Runs `work` inside one transaction and commits, or rolls back if it throws.
 * Cross-module writes (accept a bid -> order) pass the same `tx` to each module's public
 * service, which is the in-process atomicity a monolith buys over separate services.
 */
export async function withTransaction<T>(pool: Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  // Checked out with an error listener: a connection dying mid-transaction fails this call, not the process.
  const { client, release } = await checkOut(pool);
  // A client whose ROLLBACK failed is in an unknown state; destroy it rather than reuse it.
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    release(broken);
  }
}

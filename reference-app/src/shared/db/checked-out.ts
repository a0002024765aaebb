import type { PoolClient } from 'pg';
import type { Pool } from './pool.js';

/**
 * A pool client checked out for a transaction or a session, with an `error` listener for as
 * long as we hold it. pg emits `error` on a client whose connection dies (server restart,
 * pg_terminate_backend, network) even after the running query already rejected; the pool
 * listens only while the client is idle, so without this an EventEmitter with no listener
 * throws and the whole process exits. The query in flight still rejects and the caller maps
 * it (503); a client that saw an error is destroyed on release, never reused.
 */
export interface CheckedOutClient {
  client: PoolClient;
  /** Returns the client to the pool, or destroys it when it failed or `destroy` is set. */
  release(destroy?: boolean): void;
}

export async function checkOut(pool: Pool): Promise<CheckedOutClient> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  let released = false;
  return {
    client,
    release(destroy = false) {
      if (released) return;
      released = true;
      const broken = lost ?? (destroy ? new Error('client destroyed after a failed rollback') : undefined);
      // A destroyed client keeps the listener: its socket may still report the end after release.
      if (!broken) client.off('error', onError);
      client.release(broken);
    },
  };
}

import pg from 'pg';

export type Pool = pg.Pool;

export interface PoolOptions {
  connectionString: string;
  /** Upper bound of open connections; load scenarios tune it (DB_POOL_MAX). */
  max?: number;
  applicationName?: string;
}

/**
 * The one connection pool of the process. Every module gets the same pool: one database,
 * one schema per module. Statement timeout guards the event loop against runaway queries.
 */
export function createPool(options: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'archfit-reference-app',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 15_000,
  });
  // An idle client that dies (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out one. pg emits `error` on a client whose connection dies, sometimes
  // after the query in flight already failed and its caller let go of the client (pool.query
  // listens only until its callback runs); an emitter with no listener throws and the process
  // exits. The failure still reaches the caller as a rejected query, so this listener only
  // has to exist: every client gets it for life.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** Folder of the bus's `NNNN-name.sql` migrations; the app's migration runner applies it like a module's. */
export const eventsMigrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

// The same key as the app's migration runner (src/shared/db/migrations.ts), so the runner and
// this fallback never run DDL on the same tables at the same time.
const MIGRATION_LOCK = 7_311_702_411;

/**
 * Applies the bus's migrations when nothing else has. Safe to call from every process at
 * start (app, worker, tests): an advisory lock serialises concurrent callers and every
 * statement is idempotent, so it also coexists with the app's own migration runner.
 */
export async function ensureEventsSchema(pool: pg.Pool): Promise<void> {
  const files = (await readdir(eventsMigrationsDir)).filter((f) => /^\d{4}-.+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      for (const file of files) {
        await client.query(await readFile(join(eventsMigrationsDir, file), 'utf8'));
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

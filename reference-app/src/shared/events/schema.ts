import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { checkOut } from '../db/checked-out.js';

/** Folder of the bus's `NNNN-name.sql` migrations; the app's migration runner applies it like a module's. */
export const eventsMigrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

// The same key as the app's migration runner (src/shared/db/migrations.ts), so the runner and
// this fallback never run DDL on the same tables at the same time.
const MIGRATION_LOCK = 7_311_702_411;

/**
 * Applies the bus's migrations that neither this function nor the app's migration runner
 * (`public.archfit_migrations`, owner `events`) has applied yet. Safe to call from every
 * process at start (app, worker, tests): an advisory lock serialises concurrent callers, and
 * once everything is applied it only reads, so it never takes DDL locks under live traffic
 * (re-running even `CREATE INDEX IF NOT EXISTS` would, and deadlocks with publishers).
 */
export async function ensureEventsSchema(pool: pg.Pool): Promise<void> {
  const files = (await readdir(eventsMigrationsDir)).filter((f) => /^\d{4}-.+\.sql$/.test(f)).sort();
  if ((await pendingFiles(pool, files)).length === 0) return;
  const { client, release } = await checkOut(pool);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      for (const file of await pendingFiles(client, files)) {
        await client.query('BEGIN');
        await client.query(await readFile(join(eventsMigrationsDir, file), 'utf8'));
        await client.query(
          'CREATE TABLE IF NOT EXISTS events.schema_migration (file text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
        );
        await client.query('INSERT INTO events.schema_migration (file) VALUES ($1) ON CONFLICT DO NOTHING', [file]);
        await client.query('COMMIT');
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    }
  } finally {
    release();
  }
}

async function pendingFiles(db: Pick<pg.Pool, 'query'>, files: string[]): Promise<string[]> {
  const { rows } = await db.query<{ own: string | null; app: string | null }>(
    `SELECT to_regclass('events.schema_migration')::text AS own, to_regclass('public.archfit_migrations')::text AS app`,
  );
  const applied = new Set<string>();
  if (rows[0]?.own) {
    for (const r of (await db.query<{ file: string }>('SELECT file FROM events.schema_migration')).rows) applied.add(r.file);
  }
  if (rows[0]?.app) {
    const fromApp = await db.query<{ file: string }>(`SELECT file FROM public.archfit_migrations WHERE owner = 'events'`);
    for (const r of fromApp.rows) applied.add(r.file);
  }
  return files.filter((f) => !applied.has(f));
}

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { checkOut } from './checked-out.js';
import type { Pool } from './pool.js';

/** Something that owns a PostgreSQL schema and the SQL files that build it. */
export interface MigrationOwner {
  /** Schema name; also the module name (`identity`, `catalog`, `events`, ...). */
  name: string;
  /** Folder with `NNNN-kebab-name.sql` files, applied in file-name order. */
  migrationsDir: string;
}

export interface AppliedMigration {
  owner: string;
  file: string;
}

const FILE_PATTERN = /^\d{4}-[a-z0-9-]+\.sql$/;
const SCHEMA_PATTERN = /^[a-z][a-z0-9_]*$/;
/** Any constant works; it only has to be the same for every instance of this app. */
const MIGRATION_LOCK_KEY = 7_311_702_411;

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

async function migrationFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const strays = entries.filter((f) => f.endsWith('.sql') && !FILE_PATTERN.test(f));
  if (strays.length > 0) {
    throw new Error(`migration files must be named NNNN-kebab-name.sql: ${strays.join(', ')} in ${dir}`);
  }
  return entries.filter((f) => FILE_PATTERN.test(f)).sort();
}

/**
 * Brings every owner's schema up to date. Idempotent: applied files are recorded in
 * `public.archfit_migrations` with a checksum, and an edited, already-applied file is refused
 * (a migration that changed after it ran means two databases now differ silently).
 * A session advisory lock serialises the whole run, so two instances starting at once
 * never apply the same file twice.
 */
export async function runMigrations(pool: Pool, owners: readonly MigrationOwner[]): Promise<AppliedMigration[]> {
  const { client, release } = await checkOut(pool);
  const applied: AppliedMigration[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS public.archfit_migrations (
      owner text NOT NULL, file text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, file))`);
    const { rows } = await client.query<{ owner: string; file: string; checksum: string }>(
      'SELECT owner, file, checksum FROM public.archfit_migrations',
    );
    const done = new Map(rows.map((r) => [`${r.owner}/${r.file}`, r.checksum]));
    for (const owner of owners) {
      if (!SCHEMA_PATTERN.test(owner.name)) throw new Error(`invalid schema name for migrations: ${owner.name}`);
      // Every owner gets its schema even before its first migration file exists.
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${owner.name}"`);
      for (const file of await migrationFiles(owner.migrationsDir)) {
        const sql = await readFile(join(owner.migrationsDir, file), 'utf8');
        const sum = checksum(sql);
        const previous = done.get(`${owner.name}/${file}`);
        if (previous === sum) continue;
        if (previous !== undefined) {
          throw new Error(`migration ${owner.name}/${file} was edited after it was applied; add a new file instead`);
        }
        await applyOne(client, owner.name, file, sql, sum);
        applied.push({ owner: owner.name, file });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    release();
  }
  return applied;
}

async function applyOne(client: PoolClient, schema: string, file: string, sql: string, sum: string): Promise<void> {
  try {
    await client.query('BEGIN');
    // The module's own schema comes first on the search path, so its files may use bare names.
    await client.query(`SET LOCAL search_path TO "${schema}", public`);
    await client.query(sql);
    await client.query('INSERT INTO public.archfit_migrations (owner, file, checksum) VALUES ($1, $2, $3)', [
      schema,
      file,
      sum,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error(`migration ${schema}/${file} failed: ${(error as Error).message}`, { cause: error });
  }
}

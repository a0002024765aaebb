import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { runMigrations, type MigrationOwner } from '../../src/shared/db/migrations.js';
import { createPool, type Pool } from '../../src/shared/db/pool.js';

let db: TestDatabase;
let dir: string;
const pools: Pool[] = [];

function pool(): Pool {
  const p = createPool({ connectionString: db.url, max: 2 });
  pools.push(p);
  return p;
}

beforeAll(async () => {
  db = await createTestDatabase('refapp_migrations');
  dir = await mkdtemp(join(tmpdir(), 'archfit-migrations-'));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function ownerWith(name: string, files: Record<string, string>): Promise<MigrationOwner> {
  const folder = join(dir, name);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  for (const [file, sql] of Object.entries(files)) await writeFile(join(folder, file), sql);
  return { name, migrationsDir: folder };
}

describe('migration runner', () => {
  it('applies each file once, in order, in the owner schema, even with two instances starting at once', async () => {
    const owner = await ownerWith('race', {
      '0001-create.sql': 'CREATE TABLE race.items (id int PRIMARY KEY, note text);',
      // Not idempotent on purpose: applying it twice would fail on the primary key.
      '0002-seed.sql': "INSERT INTO items (id, note) VALUES (1, 'bare name resolves to the owner schema');",
    });
    const [a, b] = await Promise.all([runMigrations(pool(), [owner]), runMigrations(pool(), [owner])]);
    expect([...a, ...b].map((m) => m.file).sort()).toEqual(['0001-create.sql', '0002-seed.sql']);
    const { rows } = await pool().query('SELECT count(*)::int AS n FROM race.items');
    expect(rows[0].n).toBe(1);
    expect(await runMigrations(pool(), [owner])).toEqual([]);
  });

  it('refuses an applied file that was edited afterwards', async () => {
    const owner = await ownerWith('edited', { '0001-create.sql': 'CREATE TABLE edited.t (id int);' });
    await runMigrations(pool(), [owner]);
    await writeFile(join(owner.migrationsDir, '0001-create.sql'), 'CREATE TABLE edited.t (id bigint);');
    await expect(runMigrations(pool(), [owner])).rejects.toThrow(
      'edited/0001-create.sql was edited after it was applied',
    );
  });

  it('refuses badly named files and rolls back a failing file whole', async () => {
    const badName = await ownerWith('badname', { 'create.sql': 'SELECT 1;' });
    await expect(runMigrations(pool(), [badName])).rejects.toThrow('NNNN-kebab-name.sql');
    const failing = await ownerWith('failing', {
      '0001-half.sql': 'CREATE TABLE failing.t (id int); SELECT no_such_function();',
    });
    await expect(runMigrations(pool(), [failing])).rejects.toThrow('migration failing/0001-half.sql failed');
    const { rows } = await pool().query(`SELECT to_regclass('failing.t') AS t`);
    expect(rows[0].t).toBeNull();
  });
});

import { appendFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { dataOwnership } from '../../src/rules/data-ownership.js';
import { runCheck } from '../../src/rules/run.js';
import { querySources, sqlFileSource, tableReferences } from '../../src/rules/sql-references.js';
import type { ImportGraph } from '../../src/graph/types.js';
import { copyFixture } from '../support/tmp-repo.js';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const emptyGraph = { files: new Map(), hashes: new Map(), skipped: [] } as unknown as ImportGraph;

const refsOf = async (text: string, file = 'x.ts') => {
  const out = [];
  for (const source of querySources(file, text)) out.push(await tableReferences(source, parse));
  return out;
};

describe('table references, read by the PostgreSQL parser', () => {
  it('tells writes from reads and reports each reference where it stands in the file', async () => {
    const sql = 'INSERT INTO orders.orders (id) SELECT l.id FROM catalog.listings l;\nDELETE FROM bidding.bids WHERE id IN (SELECT bid_id FROM identity.users);\n';
    const { refs, problem } = await tableReferences(sqlFileSource(sql), parse);
    expect(problem).toBeUndefined();
    expect(refs).toEqual([
      { schema: 'orders', table: 'orders', access: 'write', line: 1, column: 13 },
      { schema: 'catalog', table: 'listings', access: 'read', line: 1, column: 49 },
      { schema: 'bidding', table: 'bids', access: 'write', line: 2, column: 13 },
      { schema: 'identity', table: 'users', access: 'read', line: 2, column: 58 },
    ]);
  });

  it('ignores comments, string literals and CTE names that look like tables', async () => {
    const sql = "-- FROM identity.users\nWITH users AS (SELECT 1) SELECT 'FROM identity.users' FROM users;\n";
    expect((await tableReferences(sqlFileSource(sql), parse)).refs).toEqual([]);
  });

  it('counts DROP and COMMENT targets as writes, at the statement', async () => {
    const { refs } = await tableReferences(sqlFileSource("\n  DROP TABLE catalog.listings;\nCOMMENT ON COLUMN bidding.auctions.version IS 'x';"), parse);
    expect(refs).toEqual([
      { schema: 'catalog', table: 'listings', access: 'write', line: 2, column: 3 },
      { schema: 'bidding', table: 'auctions', access: 'write', line: 3, column: 1 },
    ]);
  });

  it('maps offsets past non-ASCII text (the parser counts bytes)', async () => {
    const { refs } = await tableReferences(sqlFileSource("SELECT 'größe' AS g FROM catalog.listings"), parse);
    expect(refs[0]).toMatchObject({ line: 1, column: 26 });
  });

  it('reports SQL it cannot parse instead of passing it', async () => {
    const [result] = await refsOf('db.query(`SELEC id FROM catalog.listings`);');
    expect(result!.problem).toMatchObject({ line: 1, message: expect.stringContaining('PostgreSQL cannot parse this SQL') });
  });

  it('reads query strings: constants inlined, other interpolations stood in for, `$${n}` parameters, conditional fragments', async () => {
    const text = [
      "const COLUMNS = 'id, title';",
      'export async function f(db, lock, params) {',
      '  await db.query(`SELECT ${COLUMNS} FROM catalog.listings WHERE id = $1 ${lock}`);',
      '  await db.query(`SELECT * FROM orders.orders LIMIT $${params.length + 1}`);',
      "  await db.query(`UPDATE bidding.auctions SET v = 1 WHERE id = $1 ${lock ? 'AND version = $2' : ''}`);",
      "  const label = 'SELECT * FROM identity.users';",
      '}',
    ].join('\n');
    const results = await refsOf(text);
    expect(results.map((r) => r.problem)).toEqual([undefined, undefined, undefined]);
    expect(results.flatMap((r) => r.refs)).toEqual([
      { schema: 'catalog', table: 'listings', access: 'read', line: 3, column: 42 },
      { schema: 'orders', table: 'orders', access: 'read', line: 4, column: 33 },
      { schema: 'bidding', table: 'auctions', access: 'write', line: 5, column: 26 },
    ]);
  });
});

describe('the data-ownership rule on the reference app', () => {
  it('passes: every module touches only its own schema', async () => {
    const config = await loadConfig(REPO_ROOT);
    expect(await dataOwnership.check({ root: REPO_ROOT, config, graph: emptyGraph })).toEqual([]);
  });
});

describe('the data-ownership rule with the cache on', () => {
  it('reuses a file scan while the file is unchanged and rescans it the run it changes', async () => {
    const repo = copyFixture('data-ownership');
    try {
      const ownership = async () => (await runCheck({ root: repo.root, only: ['data-ownership'] })).violations.map((v) => `${v.file}:${v.line}`);
      const first = await ownership();
      // Unchanged: the scans come from .archfit-cache/rules (identity's file is not even read).
      expect(await ownership()).toEqual(first);
      // identity starts querying orders' schema; the edit must be seen on the next run.
      const file = path.join(repo.root, 'src/modules/identity/infrastructure/pg-users.ts');
      appendFileSync(file, "\nexport async function spy(db: Db): Promise<unknown> {\n  return db.query('SELECT id FROM orders.orders');\n}\n");
      const after = await ownership();
      expect(after.filter((v) => !first.includes(v))).toEqual(['src/modules/identity/infrastructure/pg-users.ts:9']);
    } finally {
      repo.cleanup();
    }
  });
});

describe('the data-ownership rule on SQL it cannot read', () => {
  it('fails closed: an unreadable .sql file is a finding, not a silent pass', async () => {
    const repo = copyFixture('data-ownership');
    try {
      symlinkSync(path.join(repo.root, 'gone.sql'), path.join(repo.root, 'src/modules/catalog/infrastructure/migrations/0002-gone.sql'));
      const result = await runCheck({ root: repo.root, only: ['data-ownership'], cache: false });
      const finding = result.violations.find((v) => v.file === 'src/modules/catalog/infrastructure/migrations/0002-gone.sql');
      expect(finding?.message).toMatch(/catalog: cannot check this SQL\. The file could not be read \(ENOENT\)/);
      expect(result.exitCode).toBe(1);
    } finally {
      repo.cleanup();
    }
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface TableFact {
  /** `schema.table`, or the bare name when the migration does not qualify it. */
  name: string;
  schema: string | undefined;
  file: string;
  line: number;
}

export interface MigrationFacts {
  /** Repo-relative migration files read, sorted. */
  files: string[];
  tables: TableFact[];
  /** Schemas the tables live in and schemas the migrations create, sorted. */
  schemas: string[];
  /** Files PostgreSQL's parser rejected, with its message. */
  problems: string[];
}

type Relation = { schemaname?: string; relname?: string };
type Stmt = { stmt?: Record<string, { relation?: Relation; view?: Relation; schemaname?: string; into?: { rel?: Relation } }>; stmt_location?: number };

/**
 * The tables and schemas a module's migrations create, read with PostgreSQL's own parser
 * (libpg-query), so comments, dollar quoting and odd formatting cannot fool it.
 */
export async function tablesFromMigrations(root: string, files: readonly string[]): Promise<MigrationFacts> {
  const facts: MigrationFacts = { files: [...files], tables: [], schemas: [], problems: [] };
  if (files.length === 0) return facts;
  const { parse } = await import('libpg-query');
  const schemas = new Set<string>();
  for (const file of files) {
    const text = await readFile(path.join(root, file), 'utf8');
    let stmts: Stmt[];
    try {
      stmts = ((await parse(text)) as { stmts?: Stmt[] }).stmts ?? [];
    } catch (err) {
      facts.problems.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const s of stmts) {
      const [kind, node] = Object.entries(s.stmt ?? {})[0] ?? [];
      if (!node) continue;
      const rel = kind === 'CreateStmt' ? node.relation : kind === 'ViewStmt' ? node.view : kind === 'CreateTableAsStmt' ? node.into?.rel : undefined;
      if (kind === 'CreateSchemaStmt' && node.schemaname) schemas.add(node.schemaname);
      if (!rel?.relname) continue;
      const line = text.slice(0, s.stmt_location ?? 0).split('\n').length + leadingNewlines(text, s.stmt_location ?? 0);
      if (rel.schemaname) schemas.add(rel.schemaname);
      facts.tables.push({ name: rel.schemaname ? `${rel.schemaname}.${rel.relname}` : rel.relname, schema: rel.schemaname, file, line });
    }
  }
  facts.tables.sort((a, b) => a.name.localeCompare(b.name));
  facts.schemas = [...schemas].sort();
  return facts;
}

/** stmt_location points at the whitespace and comments before a statement; count past them to its first keyword. */
function leadingNewlines(text: string, from: number): number {
  const rest = text.slice(from);
  const m = /^(?:\s|--[^\n]*\n)*/.exec(rest);
  return (m?.[0].match(/\n/g) ?? []).length;
}

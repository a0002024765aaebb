import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { RuleCache } from '../cache/rule-cache.js';
import type { TableReference, SqlProblem } from './sql-references.js';
import type { Rule, Violation } from './types.js';

/** Bump when the extraction changes, so cached references are recomputed. */
const EXTRACTION_VERSION = '3';

const why = "A module that reads or writes another module's tables couples their data: the owner can no longer change its schema alone, and neither can be extracted without the other.";
const fix = "Go through the owning module's public API or its events. A deliberate read can be declared under `data.reads` in the archfit config; a write to another module's schema never can.";

interface FileScan {
  refs: TableReference[];
  problems: SqlProblem[];
}

const NO_SQL: FileScan = { refs: [], problems: [] };

/** The module whose root holds `file` (roots never overlap: overlaps are config errors). */
function moduleOf<M extends { root: string }>(modules: readonly M[], file: string): M | undefined {
  return modules.find((m) => file.startsWith(`${m.root}/`));
}

/**
 * Each module owns the PostgreSQL schema named after it (or the one `data.schemas` names).
 * Its SQL, migrations (`.sql`) and the query strings in its TypeScript (the first argument of
 * `.query(...)`), found under `data.sql` globs (default `infrastructure/**`), may write only
 * its own schema and read only its own plus those of the modules `data.reads` lists. Schemas
 * no module owns (pg_catalog, the shared kernel's) are not this rule's business; an
 * unqualified name is resolved by the search path at run time, so it is not judged either.
 */
export const dataOwnership: Rule = {
  id: 'data-ownership',
  severity: 'error',
  why,
  fix,
  async check(ctx) {
    const data = ctx.config.data ?? { reads: {}, schemas: {}, sql: ['infrastructure/**'] };
    const schemaOf = (module: string) => data.schemas[module] ?? module;
    const ownerOf = new Map(ctx.config.modules.map((m) => [schemaOf(m.name), m.name]));
    const cache = RuleCache.for<FileScan>(ctx.cacheDir, dataOwnership.id);
    let parse: ((sql: string) => Promise<unknown>) | undefined;
    let scanner: typeof import('./sql-references.js') | undefined;
    const out: Violation[] = [];
    // One walk for every module's SQL globs, not one per module: on an unchanged tree of 40
    // modules the per-module walks and a read of every infrastructure file cost more than the
    // rest of the run.
    const candidates = (await glob(ctx.config.modules.flatMap((m) => data.sql.map((g) => path.posix.join(m.root, g))), { cwd: ctx.root, ignore: ['**/node_modules/**', '**/*.d.ts'] }))
      .filter((f) => /\.(sql|[cm]?tsx?)$/.test(f))
      .filter((f) => !ctx.focus || ctx.focus.has(f))
      .sort();
    for (const file of candidates) {
      const module = moduleOf(ctx.config.modules, file);
      if (!module) continue;
      const reads = new Set(data.reads[module.name] ?? []);
      // A scanned TypeScript file's content hash is already in the graph (kept by stat while
      // unchanged), so a cache hit needs no read; `.sql` files and files outside the graph
      // are read and hashed.
      const known = ctx.graph.hashes.get(file);
      let text: string | undefined = known ? undefined : readFileSync(path.join(ctx.root, file), 'utf8');
      const key = known ? `${EXTRACTION_VERSION}:graph:${known}` : `${EXTRACTION_VERSION}:${createHash('sha1').update(text!).digest('hex')}`;
      const scan = await cache.get(file, key, async () => {
        text ??= readFileSync(path.join(ctx.root, file), 'utf8');
        // A TypeScript file without a `.query(` call holds no SQL this rule reads: no parse.
        if (!file.endsWith('.sql') && !/\.query\b/.test(text)) return NO_SQL;
        scanner ??= await import('./sql-references.js');
        const sources = file.endsWith('.sql') ? [scanner.sqlFileSource(text)] : scanner.querySources(file, text);
        const result: FileScan = { refs: [], problems: [] };
        for (const source of sources) {
          // The PostgreSQL parser is WebAssembly: loaded only when there is SQL to read.
          parse ??= (await import('libpg-query')).parse as (sql: string) => Promise<unknown>;
          const { refs, problem } = await scanner.tableReferences(source, parse);
          result.refs.push(...refs);
          if (problem) result.problems.push(problem);
        }
        return result;
      });
      const at = (line: number, column: number, message: string, to?: string): Violation => ({
        rule: dataOwnership.id,
        severity: dataOwnership.severity,
        file,
        line,
        column,
        message,
        why,
        fix,
        from: module.name,
        ...(to ? { to } : {}),
      });
      for (const p of scan.problems) out.push(at(p.line, p.column, `${module.name}: cannot check this SQL. ${p.message}`));
      for (const ref of scan.refs) {
        const owner = ownerOf.get(ref.schema);
        if (owner === undefined || owner === module.name) continue;
        const name = `${ref.schema}.${ref.table}`;
        if (ref.access === 'write') {
          out.push(at(ref.line, ref.column, `${module.name} writes ${name}, which belongs to module ${owner}`, owner));
        } else if (!reads.has(owner)) {
          out.push(at(ref.line, ref.column, `${module.name} reads ${name}, which belongs to module ${owner}, and data.reads does not allow ${module.name} to read ${owner}`, owner));
        }
      }
    }
    cache.save();
    return out;
  },
};

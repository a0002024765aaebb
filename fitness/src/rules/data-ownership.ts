import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RuleCache } from '../cache/rule-cache.js';
import { anyGlob, globBase, walkFiles } from '../graph/build.js';
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
 * The files under every module's `data.sql` globs that may hold SQL (`.sql` and TypeScript,
 * not declarations, not under node_modules), sorted. Globs follow tinyglobby's reading, which
 * this rule used before: relative to the module root, a glob not ending in `*` also matches
 * everything below it, `!glob` excludes, dot files only when a glob names them. One walk for
 * every module (not one per module) that keeps no file it will not check: on an unchanged
 * tree of 40 modules the per-module globs cost more than the rest of the rule.
 */
export function sqlCandidates(root: string, modules: readonly { root: string }[], sqlGlobs: readonly string[]): string[] {
  const match: string[] = [];
  const ignore = ['**/node_modules/**', '**/*.d.ts'];
  for (const m of modules) {
    for (const raw of sqlGlobs) {
      const negated = raw.startsWith('!') && raw[1] !== '(';
      let glob = negated ? raw.slice(1) : raw;
      if (glob.endsWith('/')) glob = glob.slice(0, -1);
      if (!glob.endsWith('*')) glob += '/**';
      (negated ? ignore : match).push(path.posix.normalize(path.posix.join(m.root, glob)));
    }
  }
  const included = anyGlob(match);
  const excluded = anyGlob(ignore);
  return walkFiles(root, match.map(globBase), {
    descend: (rel) => !excluded(rel),
    keep: (rel) => /\.(sql|[cm]?tsx?)$/.test(rel) && included(rel) && !excluded(rel),
  });
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
    const candidates = sqlCandidates(ctx.root, ctx.config.modules, data.sql).filter((f) => !ctx.focus || ctx.focus.has(f));
    // The graph already warned about the files it could not read.
    const skipped = new Set(ctx.graph.skipped.map((s) => s.file));
    for (const file of candidates) {
      const module = moduleOf(ctx.config.modules, file);
      if (!module || skipped.has(file)) continue;
      const reads = new Set(data.reads[module.name] ?? []);
      // A scanned TypeScript file's content hash is already in the graph (kept by stat while
      // unchanged), so a cache hit needs no read; `.sql` files and files outside the graph
      // are read and hashed.
      const known = ctx.graph.hashes.get(file);
      let text: string | undefined;
      if (!known) {
        try {
          text = readFileSync(path.join(ctx.root, file), 'utf8');
        } catch (err) {
          // Fail closed: SQL that cannot be read cannot be cleared.
          const reason = (err as NodeJS.ErrnoException).code ?? String(err);
          out.push({ rule: dataOwnership.id, severity: dataOwnership.severity, file, line: 1, column: 1, message: `${module.name}: cannot check this SQL. The file could not be read (${reason})`, why, fix, from: module.name });
          continue;
        }
      }
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

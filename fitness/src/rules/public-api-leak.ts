import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import { RuleCache } from '../cache/rule-cache.js';
import { contentHash } from '../cache/store.js';
import type { ResolvedModule } from '../config/types.js';
import { compiler, type TsApi } from '../graph/compiler.js';
import type { Rule, RuleContext, Violation } from './types.js';

const EXTRACTION_VERSION = '4';

interface Leak {
  entry: string;
  name: string;
  declaredIn: string;
  layer: string;
  line: number;
  column: number;
}

/**
 * A module's public entry must not re-export anything declared in its private layers
 * (default: domain and infrastructure). Each exported name is followed to the file that
 * declares it through `export *`, `export { x } from`, `export * as ns from` and
 * import-then-export chains, as the checker's alias resolution does, on the files that can
 * define what the entry exports. Each of those files is parsed alone (syntax only) into a
 * small table of its exports and imports and the tree is dropped: no ts-morph project, no
 * binder, no checker (those held ~60 MB at 10k files). Specifiers are followed along the
 * import graph's own resolution, so tsconfig `paths` aliases are followed too. Results are
 * cached per module and reused while none of its files changed.
 */
export const publicApiLeak: Rule = {
  id: 'public-api-leak',
  severity: 'error',
  why: 'Entities, repositories and adapters re-exported from index.ts become other modules\' contract, so the module can no longer change or be extracted alone.',
  fix: 'Export a DTO, interface or service declared in api/ instead (map the entity to it there), and remove the re-export of the domain or infrastructure symbol from the public entry.',
  async check(ctx) {
    const privateLayers = ctx.config.layers.private;
    if (privateLayers.length === 0) return [];
    const cache = RuleCache.for<Leak[]>(ctx.cacheDir, publicApiLeak.id);
    const out: Violation[] = [];
    for (const mod of ctx.config.modules) {
      if (ctx.focus && !mod.publicEntries.some((e) => ctx.focus!.has(e)) && ![...ctx.focus].some((f) => ctx.graph.files.get(f)?.module === mod.name)) continue;
      const files = exportClosure(ctx, mod);
      const key = contentHash(JSON.stringify([EXTRACTION_VERSION, privateLayers, mod.publicEntries, files.map((f) => [f, ctx.graph.hashes.get(f)])]));
      const leaks = await cache.get(mod.name, key, () => findLeaks(ctx, mod, files, privateLayers));
      for (const leak of leaks) {
        out.push({
          rule: publicApiLeak.id,
          severity: publicApiLeak.severity,
          file: leak.entry,
          line: leak.line,
          column: leak.column,
          message: `public entry of module ${mod.name} exports "${leak.name === 'export=' ? 'export =' : leak.name}", declared in ${leak.declaredIn} (layer ${leak.layer})`,
          why: publicApiLeak.why,
          fix: publicApiLeak.fix,
          from: mod.name,
          to: `${mod.name}/${leak.layer}`,
        });
      }
    }
    cache.save();
    return out;
  },
};

/**
 * The files that can define what a public entry exports: the entries, every file reached
 * from them through `export … from` edges, and the files those import (an imported binding
 * re-exported with `export { x }`), with their own `export … from` chains. Only these are
 * parsed, and only their hashes key the cache, so editing an unrelated file of the module
 * costs nothing. Not followed: a binding imported, re-imported and re-exported two files away.
 */
function exportClosure(ctx: RuleContext, mod: ResolvedModule): string[] {
  const inModule = (f: string | undefined): f is string => !!f && ctx.graph.files.get(f)?.module === mod.name;
  const chained = new Set<string>();
  const seen = new Set<string>();
  const follow = (start: string) => {
    const stack = [start];
    while (stack.length) {
      const f = stack.pop()!;
      if (chained.has(f)) continue;
      chained.add(f);
      seen.add(f);
      for (const e of ctx.graph.outgoing.get(f) ?? []) if (e.kind === 'export' && inModule(e.to)) stack.push(e.to);
    }
  };
  for (const entry of mod.publicEntries) follow(entry);
  for (const f of [...chained]) {
    for (const e of ctx.graph.outgoing.get(f) ?? []) {
      if (e.kind !== 'export' && inModule(e.to)) {
        seen.add(e.to);
        follow(e.to);
      }
    }
  }
  return [...seen].sort();
}

/** Where an exported name comes from, as written in one file. */
type Origin =
  /** Declared in this file. */
  | { kind: 'local' }
  /** The module object of another file (`export * as ns from`, `import * as ns` re-exported). */
  | { kind: 'namespace'; specifier: string }
  /** Another file's export `name` (`export { a as b } from`, an imported binding re-exported). */
  | { kind: 'reexport'; specifier: string; name: string }
  /** Not followed (`export default <expression>` of something unknown): no declaration. */
  | { kind: 'none' };

interface Position {
  line: number;
  column: number;
}

/** One file's exports: explicit names (first declaration wins) and `export *` statements in order. */
interface ExportTable {
  named: Map<string, { origin: Origin; site: Position }>;
  stars: { specifier: string; site: Position }[];
}

/** What an exported name resolves to: found (the name is exported), and the declaring file when known. */
interface Found {
  declaredIn?: string;
}

function findLeaks(ctx: RuleContext, mod: ResolvedModule, files: string[], privateLayers: string[]): Leak[] {
  const ts = compiler(ctx.cacheDir);
  const inProject = new Set(files);
  const tables = new Map<string, ExportTable | undefined>();
  const table = (file: string): ExportTable | undefined => {
    if (!tables.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(path.join(ctx.root, file), 'utf8');
      } catch {
        text = undefined;
      }
      tables.set(file, text === undefined ? undefined : exportTable(ts, file, text));
    }
    return tables.get(file);
  };
  /** The file a specifier written in `from` leads to, as the import graph resolved it, if it is one of the files considered. */
  const target = (from: string, specifier: string): string | undefined => {
    const to = ctx.graph.outgoing.get(from)?.find((e) => e.specifier === specifier && e.to)?.to;
    return to && inProject.has(to) ? to : undefined;
  };
  const resolving = new Set<string>();
  /** Follows `name` exported by `file` to its declaring file; undefined when `file` does not export it. */
  const lookup = (file: string, name: string): Found | undefined => {
    const t = table(file);
    if (!t) return undefined;
    const key = `${file}\0${name}`;
    if (resolving.has(key)) return {}; // a cycle of re-exports declares nothing
    resolving.add(key);
    try {
      const own = t.named.get(name);
      if (own) return follow(file, own.origin);
      if (name === 'default') return undefined;
      for (const star of t.stars) {
        const to = target(file, star.specifier);
        const found = to ? lookup(to, name) : undefined;
        if (found) return found;
      }
      return undefined;
    } finally {
      resolving.delete(key);
    }
  };
  const follow = (file: string, origin: Origin): Found => {
    if (origin.kind === 'local') return { declaredIn: file };
    if (origin.kind === 'none') return {};
    const to = target(file, origin.specifier);
    if (!to) return {};
    if (origin.kind === 'namespace') return { declaredIn: to };
    return lookup(to, origin.name) ?? {};
  };
  /** Every name a file exports, in declaration order, with the statement that exports it. */
  const namesOf = (file: string, seen: Set<string>): Map<string, Position> => {
    const out = new Map<string, Position>();
    const t = table(file);
    if (!t || seen.has(file)) return out;
    seen.add(file);
    for (const [name, { site }] of t.named) out.set(name, site);
    for (const star of t.stars) {
      const to = target(file, star.specifier);
      if (!to) continue;
      for (const name of namesOf(to, seen).keys()) if (name !== 'default' && !out.has(name)) out.set(name, star.site);
    }
    seen.delete(file);
    return out;
  };

  const leaks: Leak[] = [];
  for (const entry of mod.publicEntries) {
    if (!inProject.has(entry)) continue;
    for (const [name, site] of namesOf(entry, new Set())) {
      const declaredIn = lookup(entry, name)?.declaredIn;
      if (!declaredIn) continue;
      const info = ctx.graph.files.get(declaredIn);
      if (info?.module !== mod.name || !info.layer || !privateLayers.includes(info.layer)) continue;
      leaks.push({ entry, name, declaredIn, layer: info.layer, ...site });
    }
  }
  return leaks.sort((a, b) => a.line - b.line || a.column - b.column || a.name.localeCompare(b.name));
}

/**
 * Reads one file's export table with a syntax-only parse; the tree is dropped on return.
 * Sites are where a report points: the export specifier, the `ns` of `export * as ns`, the
 * module specifier of an `export *`, or the declaration itself.
 */
export function exportTable(ts: TsApi, fileName: string, text: string): ExportTable {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, /\.[cm]?tsx$/.test(fileName) ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const pos = (n: TS.Node): Position => {
    const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
    return { line: line + 1, column: character + 1 };
  };
  const hasModifier = (n: TS.Node, kind: TS.SyntaxKind) => (ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined)?.some((m) => m.kind === kind) ?? false;
  /** Local names bound by imports: name -> where it comes from. */
  const imports = new Map<string, Origin>();
  const named: ExportTable['named'] = new Map();
  const stars: ExportTable['stars'] = [];
  const pending: { local: string; exported: string; site: Position; specifierSite: boolean }[] = [];
  /** Top-level declarations, exported or not: where `export default x` points when x is one. */
  const locals = new Map<string, Position>();
  const add = (name: string, origin: Origin, site: Position) => {
    if (!named.has(name)) named.set(name, { origin, site });
  };
  const bindingNames = (n: TS.BindingName, out: TS.Identifier[]) => {
    if (ts.isIdentifier(n)) out.push(n);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
    return out;
  };

  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) {
      const specifier = stmt.moduleSpecifier.text;
      const clause = stmt.importClause;
      if (!clause) continue;
      if (clause.name) imports.set(clause.name.text, { kind: 'reexport', specifier, name: 'default' });
      const b = clause.namedBindings;
      if (b && ts.isNamespaceImport(b)) imports.set(b.name.text, { kind: 'namespace', specifier });
      else if (b) for (const el of b.elements) imports.set(el.name.text, { kind: 'reexport', specifier, name: (el.propertyName ?? el.name).text });
    } else if (ts.isImportEqualsDeclaration(stmt)) {
      const ref = stmt.moduleReference;
      const origin: Origin =
        ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression) ? { kind: 'namespace', specifier: ref.expression.text } : { kind: 'local' };
      if (hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) add(stmt.name.text, origin, pos(stmt));
      else imports.set(stmt.name.text, origin);
    } else if (ts.isExportDeclaration(stmt)) {
      const specifier = stmt.moduleSpecifier && ts.isStringLiteral(stmt.moduleSpecifier) ? stmt.moduleSpecifier.text : undefined;
      const clause = stmt.exportClause;
      if (!clause) {
        if (specifier !== undefined) stars.push({ specifier, site: pos(stmt.moduleSpecifier!) });
      } else if (ts.isNamespaceExport(clause)) {
        if (specifier !== undefined) add(clause.name.text, { kind: 'namespace', specifier }, pos(clause));
      } else {
        for (const el of clause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (specifier !== undefined) add(el.name.text, { kind: 'reexport', specifier, name: local }, pos(el));
          else pending.push({ local, exported: el.name.text, site: pos(el), specifierSite: true });
        }
      }
    } else if (ts.isExportAssignment(stmt)) {
      // `export default x` (and `export = x`): an identifier is followed, anything else is declared here.
      const name = stmt.isExportEquals ? 'export=' : 'default';
      // An imported binding is reported at the statement that exports it.
      if (ts.isIdentifier(stmt.expression)) pending.push({ local: stmt.expression.text, exported: name, site: pos(stmt), specifierSite: false });
      else add(name, { kind: 'local' }, pos(stmt));
    } else {
      const exported = hasModifier(stmt, ts.SyntaxKind.ExportKeyword);
      const isDefault = hasModifier(stmt, ts.SyntaxKind.DefaultKeyword);
      if (ts.isVariableStatement(stmt)) {
        for (const d of stmt.declarationList.declarations) {
          for (const id of bindingNames(d.name, [])) {
            if (!locals.has(id.text)) locals.set(id.text, pos(id));
            if (exported) add(id.text, { kind: 'local' }, pos(id));
          }
        }
      } else if (
        ts.isFunctionDeclaration(stmt) ||
        ts.isClassDeclaration(stmt) ||
        ts.isInterfaceDeclaration(stmt) ||
        ts.isTypeAliasDeclaration(stmt) ||
        ts.isEnumDeclaration(stmt) ||
        ts.isModuleDeclaration(stmt)
      ) {
        const own = stmt.name && ts.isIdentifier(stmt.name) ? stmt.name.text : undefined;
        if (own && !locals.has(own)) locals.set(own, pos(stmt));
        const name = isDefault ? 'default' : own;
        if (exported && name) add(name, { kind: 'local' }, pos(stmt));
      }
    }
  }
  for (const p of pending) {
    const origin = imports.get(p.local) ?? { kind: 'local' as const };
    // An `export default x` that leads back into this file points at the declaration.
    const site = !p.specifierSite && origin.kind === 'local' ? (locals.get(p.local) ?? p.site) : p.site;
    add(p.exported, origin, site);
  }
  return { named, stars };
}

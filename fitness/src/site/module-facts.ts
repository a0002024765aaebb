import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Project, SourceFile } from 'ts-morph';
import type { ResolvedConfig } from '../config/types.js';
import { findRouteRegistrations, mayRegisterRoutes } from '../rules/route-registrations.js';
import { isRecord, literalValue, str, num } from './literal.js';
import { tablesFromMigrations, type MigrationFacts } from './sql-tables.js';

/** A named export of a module's public entry. */
export interface ExportedName {
  name: string;
  typeOnly: boolean;
  /** The file it is re-exported from, as written (`./api/module.js`); absent for local declarations. */
  from?: string;
}

/** An event contract (`defineEvent({ type, version, publisher, subscribers })`) found in a module's code. */
export interface EventContractFact {
  /** The constant it is bound to (`bidPlaced`), what subscriptions refer to. */
  constant: string;
  type: string;
  version: number | undefined;
  publisher: string | undefined;
  subscribers: string[];
  file: string;
  line: number;
}

/** `bus.subscribe(consumer, bidPlaced.type, …)`: the contract constant or literal type subscribed to. */
export interface SubscriptionFact {
  /** The constant before `.type`, or undefined when the type is a string literal. */
  constant?: string;
  type?: string;
  file: string;
  line: number;
}

export interface RouteFact {
  /** `GET /bids` as registered in the scope (without the context's URL prefix). */
  route: string;
  /** The declared auth context; the route file's context when the declaration is not literal. */
  context: string | undefined;
  permission: 'missing' | 'empty' | 'ok';
  file: string;
  line: number;
}

/** What a module's code says about it, read without running it. */
export interface ModuleFacts {
  name: string;
  root: string;
  tags: string[];
  layers: string[];
  allowedDependencies: string[];
  files: number;
  publicEntries: Array<{ file: string; exports: ExportedName[]; missing?: boolean }>;
  events: EventContractFact[];
  subscriptions: SubscriptionFact[];
  routes: RouteFact[];
  migrations: MigrationFacts;
}

let project: Project | undefined;
async function parse(file: string, text: string): Promise<SourceFile> {
  if (!project) {
    const { Project } = await import('ts-morph');
    project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { allowJs: true, noLib: true } });
  }
  return project.createSourceFile(file, text, { overwrite: true });
}

function lineOf(sf: SourceFile, pos: number): number {
  return sf.getLineAndColumnAtPos(pos).line;
}

/** The names a public entry exports, in source order: `export { a, type B } from`, `export *`, local declarations. */
export async function exportedNames(file: string, text: string): Promise<ExportedName[]> {
  const { Node } = await import('ts-morph');
  const sf = await parse(file, text);
  try {
    const out: ExportedName[] = [];
    for (const st of sf.getStatements()) {
      if (Node.isExportDeclaration(st)) {
        const from = st.getModuleSpecifierValue();
        const named = st.getNamedExports();
        if (named.length === 0) out.push({ name: st.getNamespaceExport()?.getName() ?? '*', typeOnly: st.isTypeOnly(), ...(from ? { from } : {}) });
        for (const n of named) {
          out.push({ name: n.getAliasNode()?.getText() ?? n.getName(), typeOnly: st.isTypeOnly() || n.isTypeOnly(), ...(from ? { from } : {}) });
        }
      } else if (Node.isExportAssignment(st)) {
        out.push({ name: 'default', typeOnly: false });
      } else if (Node.isVariableStatement(st) && st.isExported()) {
        for (const d of st.getDeclarations()) out.push({ name: d.getName(), typeOnly: false });
      } else if ((Node.isFunctionDeclaration(st) || Node.isClassDeclaration(st) || Node.isEnumDeclaration(st)) && st.isExported()) {
        out.push({ name: st.isDefaultExport() ? 'default' : (st.getName() ?? 'default'), typeOnly: false });
      } else if ((Node.isInterfaceDeclaration(st) || Node.isTypeAliasDeclaration(st)) && st.isExported()) {
        out.push({ name: st.getName(), typeOnly: true });
      }
    }
    return out;
  } finally {
    project?.removeSourceFile(sf);
  }
}

/** Event contracts and subscriptions in one file. */
export async function eventFacts(file: string, text: string): Promise<{ events: EventContractFact[]; subscriptions: SubscriptionFact[] }> {
  const { Node, SyntaxKind } = await import('ts-morph');
  const sf = await parse(file, text);
  try {
    const events: EventContractFact[] = [];
    const subscriptions: SubscriptionFact[] = [];
    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
      if (name === 'defineEvent') {
        const def = literalValue(call.getArguments()[0]);
        if (!isRecord(def) || typeof def.type !== 'string') continue;
        const decl = call.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
        events.push({
          constant: decl?.getName() ?? def.type,
          type: def.type,
          version: num(def.version),
          publisher: str(def.publisher),
          subscribers: Array.isArray(def.subscribers) ? def.subscribers.filter((s): s is string => typeof s === 'string').sort() : [],
          file,
          line: lineOf(sf, call.getStart()),
        });
      } else if (name === 'subscribe' && Node.isPropertyAccessExpression(callee)) {
        // subscribe(consumer, type, handler) or subscribe(type, handler): the event is the
        // argument that reads `<contract>.type` or is a dotted string literal.
        for (const arg of call.getArguments()) {
          if (Node.isPropertyAccessExpression(arg) && arg.getName() === 'type') {
            subscriptions.push({ constant: arg.getExpression().getText(), file, line: lineOf(sf, call.getStart()) });
            break;
          }
          const lit = literalValue(arg);
          if (typeof lit === 'string' && /^[a-z0-9-]+\.[a-z0-9.-]+$/.test(lit)) {
            subscriptions.push({ type: lit, file, line: lineOf(sf, call.getStart()) });
            break;
          }
        }
      }
    }
    return { events, subscriptions };
  } finally {
    project?.removeSourceFile(sf);
  }
}

async function sqlFilesUnder(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = await readdir(path.join(root, current), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const rel = `${current}/${e.name}`;
      if (e.isDirectory() && e.name !== 'node_modules') stack.push(rel);
      else if (e.isFile() && e.name.endsWith('.sql') && rel.split('/').includes('migrations')) out.push(rel);
    }
  }
  return out.sort();
}

/** What one file contributes, cached per content hash so an unchanged tree never loads TypeScript. */
interface FileFacts {
  exports?: ExportedName[];
  events: EventContractFact[];
  subscriptions: SubscriptionFact[];
  routes: Array<Omit<RouteFact, 'context'> & { context: string | undefined }>;
}

/** Bump when what is extracted changes, so cached facts are recomputed. */
const FACTS_VERSION = '1';

async function factsOf(root: string, file: string, isEntry: boolean): Promise<FileFacts> {
  const text = await readFile(path.join(root, file), 'utf8').catch(() => undefined);
  const facts: FileFacts = { events: [], subscriptions: [], routes: [] };
  if (text === undefined) return facts;
  if (isEntry) facts.exports = await exportedNames(file, text);
  if (text.includes('defineEvent(') || text.includes('.subscribe')) Object.assign(facts, await eventFacts(file, text));
  if (mayRegisterRoutes(text)) {
    if (!project) await parse('__init__.ts', '');
    for (const r of findRouteRegistrations(project!, file, text)) {
      facts.routes.push({ route: r.route, context: typeof r.context === 'string' ? r.context : undefined, permission: r.permission, file, line: r.line });
    }
  }
  return facts;
}

export interface SourceIndex {
  /** Scanned files (repo-relative) with their content hashes, as the import graph has them. */
  hashes: ReadonlyMap<string, string>;
  /** Absolute `.archfit-cache` folder; undefined runs without a cache. */
  cacheDir?: string;
}

/**
 * Reads each configured module's public entries, event contracts, subscriptions, routes and
 * migrations. Files are the scanned source files, so the site sees what `check` sees. Only
 * files that mention what is looked for are parsed, and each file's facts are cached by its
 * content hash.
 */
export async function readModuleFacts(config: ResolvedConfig, sources: SourceIndex): Promise<ModuleFacts[]> {
  const { RuleCache } = await import('../cache/rule-cache.js');
  const cache = RuleCache.for<FileFacts>(sources.cacheDir, 'site-module-facts');
  const sqlCache = RuleCache.for<MigrationFacts>(sources.cacheDir, 'site-migrations');
  const files = [...sources.hashes.keys()].sort();
  const contextOfFile = config.contexts.map((c) => ({ name: c.name, match: picomatch(c.routeFiles, { dot: true }) }));
  const out: ModuleFacts[] = [];
  for (const m of [...config.modules].sort((a, b) => a.name.localeCompare(b.name))) {
    const own = files.filter((f) => f.startsWith(`${m.root}/`));
    const entries = new Set(m.publicEntries);
    const facts: ModuleFacts = {
      name: m.name,
      root: m.root,
      tags: [...m.tags].sort(),
      layers: [...m.layers],
      allowedDependencies: [...m.allowedDependencies].sort(),
      files: own.length,
      publicEntries: [],
      events: [],
      subscriptions: [],
      routes: [],
      migrations: { tables: [], schemas: [], files: [], problems: [] },
    };
    const byFile = new Map<string, FileFacts>();
    for (const file of [...new Set([...own, ...entries])].sort()) {
      const hash = sources.hashes.get(file);
      const isEntry = entries.has(file);
      byFile.set(file, hash ? await cache.get(file, `${FACTS_VERSION}:${isEntry ? 'e' : 'f'}:${hash}`, () => factsOf(config.root, file, isEntry)) : await factsOf(config.root, file, isEntry));
    }
    for (const entry of [...entries].sort()) {
      const exports = byFile.get(entry)?.exports;
      facts.publicEntries.push(exports === undefined || !existsSync(path.join(config.root, entry)) ? { file: entry, exports: [], missing: true } : { file: entry, exports });
    }
    for (const file of own) {
      const f = byFile.get(file)!;
      facts.events.push(...f.events);
      facts.subscriptions.push(...f.subscriptions);
      const fileContext = contextOfFile.find((c) => c.match(file))?.name;
      for (const r of f.routes) facts.routes.push({ ...r, context: r.context ?? fileContext });
    }
    const sqlFiles = await sqlFilesUnder(config.root, m.root);
    const sqlKey = await Promise.all(sqlFiles.map(async (f) => `${f}:${createHash('sha256').update(await readFile(path.join(config.root, f))).digest('hex')}`));
    facts.migrations = await sqlCache.get(m.name, `${FACTS_VERSION}:${sqlKey.join(',')}`, () => tablesFromMigrations(config.root, sqlFiles));
    facts.events.sort((a, b) => a.type.localeCompare(b.type));
    facts.routes.sort((a, b) => (a.context ?? '').localeCompare(b.context ?? '') || a.route.localeCompare(b.route) || a.file.localeCompare(b.file));
    out.push(facts);
  }
  cache.save();
  sqlCache.save();
  return out;
}

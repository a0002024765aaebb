import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportDeclaration, Project, SourceFile } from 'ts-morph';
import { RuleCache } from '../cache/rule-cache.js';
import { contentHash } from '../cache/store.js';
import type { ResolvedModule } from '../config/types.js';
import type { Rule, RuleContext, Violation } from './types.js';

const EXTRACTION_VERSION = '2';

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
 * (default: domain and infrastructure). ts-morph resolves each exported name to its
 * declaration through `export *`, `export { x } from` and import-then-export chains, on a
 * project holding only that module's files (no lib, no type check). Results are cached per
 * module and reused while none of its files changed.
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
          message: `public entry of module ${mod.name} exports "${leak.name}", declared in ${leak.declaredIn} (layer ${leak.layer})`,
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

async function findLeaks(ctx: RuleContext, mod: ResolvedModule, files: string[], privateLayers: string[]): Promise<Leak[]> {
  const { Project, ts } = await import('ts-morph');
  // An in-memory project holding only this module's files: declarations are found without
  // the checker wandering into node_modules or other modules (seconds on a real disk).
  const project: Project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: {
      allowJs: true,
      noLib: true,
      types: [],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    },
  });
  for (const f of files) {
    const text = await readFile(path.join(ctx.root, f), 'utf8').catch(() => undefined);
    if (text !== undefined) project.createSourceFile(path.join(ctx.root, f), text, { overwrite: true });
  }
  const rel = (sf: SourceFile) => path.relative(ctx.root, sf.getFilePath()).replaceAll('\\', '/');
  const leaks: Leak[] = [];
  for (const entry of mod.publicEntries) {
    const sf = project.getSourceFile(path.join(ctx.root, entry));
    if (!sf) continue;
    for (const [name, declarations] of sf.getExportedDeclarations()) {
      for (const decl of declarations) {
        const declaredIn = rel(decl.getSourceFile());
        const info = ctx.graph.files.get(declaredIn);
        if (info?.module !== mod.name || !info.layer || !privateLayers.includes(info.layer)) continue;
        const at = exportSite(sf, name);
        leaks.push({ entry, name, declaredIn, layer: info.layer, ...at });
        break;
      }
    }
  }
  return leaks.sort((a, b) => a.line - b.line || a.column - b.column || a.name.localeCompare(b.name));
}

/** The statement in the entry that exports `name`: its specifier, else the `export *` bringing it. */
function exportSite(sf: SourceFile, name: string): { line: number; column: number } {
  const pos = (n: { getStart(): number }) => sf.getLineAndColumnAtPos(n.getStart());
  const decls: ExportDeclaration[] = sf.getExportDeclarations();
  for (const ed of decls) {
    for (const spec of ed.getNamedExports()) {
      if ((spec.getAliasNode()?.getText() ?? spec.getName()) === name) return pos(spec);
    }
  }
  for (const ed of decls) {
    if (ed.getNamedExports().length > 0) continue;
    const ns = ed.getNamespaceExport();
    if (ns?.getName() === name) return pos(ns);
    const target = ed.getModuleSpecifierSourceFile();
    if (!ns && target?.getExportedDeclarations().has(name)) return pos(ed.getModuleSpecifier() ?? ed);
  }
  const local = sf.getExportedDeclarations().get(name)?.[0];
  if (local && local.getSourceFile() === sf) return pos(local);
  return { line: 1, column: 1 };
}

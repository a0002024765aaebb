import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { contentHash, readCache, writeCache } from '../cache/store.js';
import { ConfigError } from '../config/errors.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Extraction, RawImport } from './extract.js';
import { createClassifier } from './classify.js';
import { compiler } from './compiler.js';
import type { Resolution, Resolver } from './resolver.js';
import type { FileInfo, ImportEdge, ImportGraph, ImportKind, InlineIgnore, ResolutionKind } from './types.js';
import { findWorkspacePackages } from './workspaces.js';

interface CachedFile {
  mtimeMs: number;
  size: number;
  hash: string;
  imports: RawImport[];
  ignores: InlineIgnore[];
  /** Resolution of each import, valid while the cache's resolutionKey holds. */
  resolved?: Resolution[];
}

interface GraphCache {
  resolutionKey: string;
  files: Record<string, CachedFile>;
}

/** On disk each file is a tuple and each import a tuple: the cache is parsed on every run. */
type StoredImport = [string, number, 0 | 1, number, number];
type StoredResolution = [string | 0, string | 0, number];
type StoredFile = [number, number, string, StoredImport[], InlineIgnore[] | 0, StoredResolution[] | 0];
interface StoredCache {
  resolutionKey: string;
  files: Record<string, StoredFile>;
}
const KINDS: ImportKind[] = ['import', 'export', 'dynamic-import', 'require', 'import-equals'];
const RESOLUTIONS: ResolutionKind[] = ['relative', 'alias', 'workspace', 'package', 'builtin', 'unresolved'];

function encode(cache: GraphCache): StoredCache {
  const files: Record<string, StoredFile> = {};
  for (const [file, f] of Object.entries(cache.files)) {
    files[file] = [
      f.mtimeMs,
      f.size,
      f.hash,
      f.imports.map((i) => [i.specifier, KINDS.indexOf(i.kind), i.typeOnly ? 1 : 0, i.line, i.column]),
      f.ignores.length ? f.ignores : 0,
      f.resolved ? f.resolved.map((r) => [r.to ?? 0, r.external ?? 0, RESOLUTIONS.indexOf(r.resolution)]) : 0,
    ];
  }
  return { resolutionKey: cache.resolutionKey, files };
}

function decode(stored: StoredCache | undefined): GraphCache | undefined {
  if (!stored) return undefined;
  const files: Record<string, CachedFile> = {};
  for (const [file, [mtimeMs, size, hash, imports, ignores, resolved]] of Object.entries(stored.files)) {
    files[file] = {
      mtimeMs,
      size,
      hash,
      imports: imports.map(([specifier, kind, typeOnly, line, column]) => ({ specifier, kind: KINDS[kind]!, typeOnly: typeOnly === 1, line, column })),
      ignores: ignores || [],
      ...(resolved
        ? {
            resolved: resolved.map(([to, external, resolution]) => ({
              ...(to ? { to } : {}),
              ...(external ? { external } : {}),
              resolution: RESOLUTIONS[resolution]!,
            })),
          }
        : {}),
    };
  }
  return { resolutionKey: stored.resolutionKey, files };
}

export interface GraphStats {
  files: number;
  edges: number;
  /** Files parsed this run (cache misses). */
  parsed: number;
  /** Files whose imports were resolved this run. */
  resolved: number;
  ms: number;
}

export interface BuildOptions {
  /** Read and write `.archfit-cache/` (default: config.cache.enabled). */
  cache?: boolean;
}

/**
 * Lists the files to scan: `include` minus `exclude`, sorted for stable output. A plain
 * directory walk from each include glob's static base, pruning excluded folders (node_modules,
 * dist, tests) before descending: several times cheaper than a general glob on a large tree.
 */
export function listSourceFiles(config: ResolvedConfig): string[] {
  const include = picomatch(config.include, { dot: true });
  const exclude = picomatch(config.exclude, { dot: true });
  const bases = [...new Set(config.include.map((g) => picomatch.scan(g).base || '.'))];
  const out = new Set<string>();
  for (const base of bases) {
    const stack = [base];
    while (stack.length) {
      const dir = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(path.join(config.root, dir), { withFileTypes: true });
      } catch {
        continue; // a base that does not exist matches nothing
      }
      for (const entry of entries) {
        const rel = dir === '.' ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory()) {
          // Pruned when everything below it would be excluded.
          if (entry.name !== 'node_modules' && entry.name !== '.git' && !exclude(`${rel}/x/x.ts`)) stack.push(rel);
        } else if ((entry.isFile() || entry.isSymbolicLink()) && include(rel) && !exclude(rel)) {
          out.add(rel);
        }
      }
    }
  }
  return [...out].sort();
}

/**
 * Builds the import graph. Each file's imports are cached by content hash; their resolutions
 * are cached while the file list, tsconfigs and workspace manifests are unchanged. So an
 * unchanged tree parses nothing and one edited file re-parses and re-resolves one file,
 * unlike dependency-cruiser's whole-result cache that any edit invalidates.
 * TypeScript itself is loaded only when some file has to be parsed or resolved.
 */
export async function buildGraph(config: ResolvedConfig, options: BuildOptions = {}): Promise<{ graph: ImportGraph; stats: GraphStats }> {
  const started = performance.now();
  const useCache = options.cache ?? config.cache.enabled;
  const cacheFile = path.join(config.root, config.cache.dir, 'graph.json');
  const files = listSourceFiles(config);
  if (files.length === 0) {
    throw new ConfigError(`no source file matches ${JSON.stringify(config.include)} (after exclusions)`, 'include');
  }
  const known = new Set(files);
  const workspaces = findWorkspacePackages(config.root);
  const resolutionKey = contentHash(
    JSON.stringify([files, config.tsconfig.map((f) => [f, safeRead(path.join(config.root, f))]), [...workspaces], safeRead(path.join(config.root, 'tsconfig.base.json'))]),
  );
  const previous = useCache ? decode(readCache<StoredCache>(cacheFile)) : undefined;
  const sameResolution = previous?.resolutionKey === resolutionKey;
  const next: GraphCache = { resolutionKey, files: {} };

  let extract: ((f: string, t: string) => Extraction) | undefined;
  let resolver: Resolver | undefined;
  let parsed = 0;
  let resolvedCount = 0;
  let dirty = !previous || !sameResolution;

  const classify = createClassifier(config);
  const graph: ImportGraph = { files: new Map(), edges: [], outgoing: new Map(), ignores: new Map(), hashes: new Map() };

  for (const file of files) {
    const abs = path.join(config.root, file);
    const st = statSync(abs);
    let entry = previous?.files[file];
    if (!entry || entry.mtimeMs !== st.mtimeMs || entry.size !== st.size) {
      const text = readFileSync(abs, 'utf8');
      const hash = contentHash(text);
      dirty = true;
      if (entry && entry.hash === hash) {
        entry = { ...entry, mtimeMs: st.mtimeMs, size: st.size };
      } else {
        if (!extract) {
          compiler(useCache ? path.join(config.root, config.cache.dir) : undefined);
          extract = (await import('./extract.js')).extractImports;
        }
        const ex = extract(file, text);
        parsed++;
        entry = { mtimeMs: st.mtimeMs, size: st.size, hash, imports: ex.imports, ignores: ex.ignores };
      }
    }
    let resolved = sameResolution ? entry.resolved : undefined;
    if (!resolved || resolved.length !== entry.imports.length) {
      if (!resolver) {
        compiler(useCache ? path.join(config.root, config.cache.dir) : undefined);
        const { Resolver } = await import('./resolver.js');
        resolver = new Resolver(config.root, known, config.tsconfig, workspaces);
      }
      const r = resolver;
      resolved = entry.imports.map((imp) => r.resolve(file, imp.specifier, imp.kind));
      resolvedCount++;
      dirty = true;
    }
    next.files[file] = { ...entry, resolved };

    const info: FileInfo = classify(file);
    graph.files.set(file, info);
    graph.hashes.set(file, entry.hash);
    if (entry.ignores.length > 0) graph.ignores.set(file, entry.ignores);
    const out: ImportEdge[] = entry.imports.map((imp, i) => ({ from: file, ...imp, ...resolved[i]! }));
    graph.outgoing.set(file, out);
    for (const e of out) graph.edges.push(e);
  }

  if (useCache && (dirty || Object.keys(previous?.files ?? {}).length !== files.length)) writeCache(cacheFile, encode(next));
  return {
    graph,
    stats: { files: files.length, edges: graph.edges.length, parsed, resolved: resolvedCount, ms: Math.round(performance.now() - started) },
  };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

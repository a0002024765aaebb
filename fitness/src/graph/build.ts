import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { contentHash, readCache, writeCache } from '../cache/store.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Extraction, RawImport } from './extract.js';
import { createClassifier } from './classify.js';
import type { Resolution, Resolver } from './resolver.js';
import type { FileInfo, ImportEdge, ImportGraph, InlineIgnore } from './types.js';
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

/** Lists the files to scan: `include` minus `exclude`, sorted for stable output. */
export function listSourceFiles(config: ResolvedConfig): string[] {
  return globSync(config.include, { cwd: config.root, ignore: config.exclude, onlyFiles: true }).sort();
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
  const known = new Set(files);
  const workspaces = findWorkspacePackages(config.root);
  const resolutionKey = contentHash(
    JSON.stringify([files, config.tsconfig.map((f) => [f, safeRead(path.join(config.root, f))]), [...workspaces], safeRead(path.join(config.root, 'tsconfig.base.json'))]),
  );
  const previous = useCache ? readCache<GraphCache>(cacheFile) : undefined;
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
        extract ??= (await import('./extract.js')).extractImports;
        const ex = extract(file, text);
        parsed++;
        entry = { mtimeMs: st.mtimeMs, size: st.size, hash, imports: ex.imports, ignores: ex.ignores };
      }
    }
    let resolved = sameResolution ? entry.resolved : undefined;
    if (!resolved || resolved.length !== entry.imports.length) {
      if (!resolver) {
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

  if (useCache && (dirty || Object.keys(previous?.files ?? {}).length !== files.length)) writeCache(cacheFile, next);
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

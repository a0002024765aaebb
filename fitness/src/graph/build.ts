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

/**
 * The cache as stored and as used: one tuple per file and per import, read without
 * converting (an unchanged run builds edges straight from it): [mtimeMs, size, content hash,
 * imports, exemption comments or 0, resolutions or 0]. Resolutions stay valid while the
 * cache's resolutionKey (file list, tsconfigs, workspace names) holds.
 */
type StoredImport = [specifier: string, kind: number, typeOnly: 0 | 1, line: number, column: number];
type StoredResolution = [to: string | 0, external: string | 0, resolution: number];
type StoredFile = [mtimeMs: number, size: number, hash: string, imports: StoredImport[], ignores: InlineIgnore[] | 0, resolved: StoredResolution[] | 0];
interface StoredCache {
  resolutionKey: string;
  files: Record<string, StoredFile>;
}
const KINDS: ImportKind[] = ['import', 'export', 'dynamic-import', 'require', 'import-equals'];
const RESOLUTIONS: ResolutionKind[] = ['relative', 'alias', 'workspace', 'package', 'builtin', 'unresolved'];

const storeImport = (i: RawImport): StoredImport => [i.specifier, KINDS.indexOf(i.kind), i.typeOnly ? 1 : 0, i.line, i.column];
const storeResolution = (r: Resolution): StoredResolution => [r.to ?? 0, r.external ?? 0, RESOLUTIONS.indexOf(r.resolution)];

function edgeOf(from: string, [specifier, kind, typeOnly, line, column]: StoredImport, [to, external, resolution]: StoredResolution): ImportEdge {
  const edge: ImportEdge = { from, specifier, kind: KINDS[kind]!, typeOnly: typeOnly === 1, resolution: RESOLUTIONS[resolution]!, line, column };
  if (to) edge.to = to;
  if (external) edge.external = external;
  return edge;
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
  const previous = useCache ? readCache<StoredCache>(cacheFile) : undefined;
  const sameResolution = previous?.resolutionKey === resolutionKey;
  const next: StoredCache = { resolutionKey, files: {} };

  let extract: ((f: string, t: string) => Extraction) | undefined;
  let resolver: Resolver | undefined;
  let parsed = 0;
  let resolvedCount = 0;
  let dirty = !previous || !sameResolution;
  const cacheDir = useCache ? path.join(config.root, config.cache.dir) : undefined;

  const classify = createClassifier(config);
  const graph: ImportGraph = { files: new Map(), edges: [], outgoing: new Map(), ignores: new Map(), hashes: new Map() };

  for (const file of files) {
    const abs = path.join(config.root, file);
    const st = statSync(abs);
    let entry = previous?.files[file];
    if (!entry || entry[0] !== st.mtimeMs || entry[1] !== st.size) {
      const text = readFileSync(abs, 'utf8');
      const hash = contentHash(text);
      dirty = true;
      if (entry && entry[2] === hash) {
        entry = [st.mtimeMs, st.size, hash, entry[3], entry[4], entry[5]];
      } else {
        if (!extract) {
          compiler(cacheDir);
          extract = (await import('./extract.js')).extractImports;
        }
        const ex = extract(file, text);
        parsed++;
        entry = [st.mtimeMs, st.size, hash, ex.imports.map(storeImport), ex.ignores.length ? ex.ignores : 0, 0];
      }
    }
    let resolved = sameResolution ? entry[5] : 0;
    if (!resolved || resolved.length !== entry[3].length) {
      if (!resolver) {
        compiler(cacheDir);
        const { Resolver } = await import('./resolver.js');
        resolver = new Resolver(config.root, known, config.tsconfig, workspaces);
      }
      const r = resolver;
      resolved = entry[3].map(([specifier, kind]) => storeResolution(r.resolve(file, specifier, KINDS[kind]!)));
      entry = [entry[0], entry[1], entry[2], entry[3], entry[4], resolved];
      resolvedCount++;
      dirty = true;
    }
    next.files[file] = entry;

    const info: FileInfo = classify(file);
    graph.files.set(file, info);
    graph.hashes.set(file, entry[2]);
    if (entry[4]) graph.ignores.set(file, entry[4]);
    const res = resolved;
    const out: ImportEdge[] = entry[3].map((imp, i) => edgeOf(file, imp, res[i]!));
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

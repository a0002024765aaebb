import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { contentHash } from '../cache/store.js';
import { ConfigError } from '../config/errors.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Extraction, RawImport } from './extract.js';
import { createClassifier } from './classify.js';
import { compiler } from './compiler.js';
import {
  edgesOf,
  fileResolutionOf,
  GraphCacheReader,
  GraphCacheWriter,
  KINDS,
  storeFileResolution,
  storeResolution,
  type GraphCacheHeader,
  type StoredFile,
  type StoredFileResolution,
  type StoredImport,
} from './graph-cache.js';
import type { Resolver } from './resolver.js';
import type { ImportEdge, ImportGraph, ResolutionCounts } from './types.js';
import { anyGlob, globBase, walkFiles, walkFilesReusing, type Listing, type WalkOptions } from './walk.js';
import { findWorkspacePackages } from './workspaces.js';

export { anyGlob, globBase, walkFiles };

/** Other stages (the SQL reader of data-ownership) parse TypeScript with the same compiler instance. */
export { compiler };

/**
 * Bumped when what is extracted or how it resolves changes (3: side-effect imports, ambient
 * modules; 4: resolution-mode attributes; 5: missing type packages on unresolved imports;
 * 6: the columnar graph.bin). Resolutions stay valid while the cache's resolutionKey holds:
 * the file list, workspace names and the content of every tsconfig and package.json
 * resolution read (the whole `extends` chain, references, the package.json files that set
 * module formats and exports).
 */
const GRAPH_VERSION = 6;

const storeImport = (i: RawImport): StoredImport => {
  const flags = (i.sideEffect ? 1 : 0) | (i.resolutionMode === 'import' ? 2 : i.resolutionMode === 'require' ? 4 : 0);
  const stored: StoredImport = [i.specifier, KINDS.indexOf(i.kind), i.typeOnly ? 1 : 0, i.line, i.column];
  if (flags) stored.push(flags);
  return stored;
};

export interface GraphStats {
  files: number;
  edges: number;
  /** Files parsed this run (cache misses). */
  parsed: number;
  /** Files whose imports were resolved this run. */
  resolved: number;
  /** Imports per specifier shape, resolved and unresolved. */
  imports: ResolutionCounts;
  /** Files skipped because they could not be read. */
  skipped: number;
  /** False when the file list came from the previous run's listing (no folder changed). */
  walked: boolean;
  ms: number;
}

export interface BuildOptions {
  /** Read and write `.archfit-cache/` (default: config.cache.enabled). */
  cache?: boolean;
  /** Collect garbage once the graph is built when at least this many files were parsed or resolved (default 2,000). */
  collectAfter?: number;
}

/**
 * A full garbage collection, reachable without `--expose-gc` (as jest's leak detector does it).
 * After a cold build the parsers' trees, the resolver and its caches are garbage that V8 would
 * otherwise keep committed while the rules run (and data-ownership's PostgreSQL parser, a
 * WebAssembly module, adds its own memory on top): at 10,000 files the peak was 263 MiB with
 * it and 237 MiB without, for about 0.1 s. Small and cached runs are not worth the pause.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) return gc();
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    setFlagsFromString('--no-expose-gc');
  } catch {
    // Only memory: without it the run is the same.
  }
}

/** archfit's own config files (`archfit.config.ts` and its .mts/.cts/.js variants): configuration, never module code. */
const ARCHFIT_CONFIG = /^archfit\.config\.[cm]?[jt]s$/;

/**
 * Lists the files to scan: `include` minus `exclude` and archfit config files, sorted for stable output. A plain
 * directory walk from each include glob's static base, pruning excluded folders (node_modules,
 * dist, tests) before descending: several times cheaper than a general glob on a large tree.
 */
export function listSourceFiles(config: ResolvedConfig): string[] {
  return walkFiles(config.root, config.include.map(globBase), sourceFilter(config));
}

/** Which folders the walk enters and which files it keeps: `include` minus `exclude` and archfit's config files. */
function sourceFilter(config: ResolvedConfig): WalkOptions {
  const include = anyGlob(config.include, { dot: true });
  const exclude = anyGlob(config.exclude, { dot: true });
  return {
    // Pruned when everything below it would be excluded.
    descend: (rel) => !exclude(`${rel}/x/x.ts`),
    keep: (rel, name) => include(rel) && !exclude(rel) && !ARCHFIT_CONFIG.test(name),
  };
}

/**
 * listSourceFiles, reusing the previous run's listing while no folder it read has changed (see
 * walkFilesReusing). `cacheDir` (the cache on) is where the filesystem is tested before a new
 * listing is kept.
 */
function listSourceFilesReusing(config: ResolvedConfig, previous: Listing | undefined, cacheDir: string | undefined): { files: string[]; listing?: Listing } {
  const key = contentHash(JSON.stringify([LISTING_VERSION, config.include, config.exclude]));
  return walkFilesReusing(config.root, config.include.map(globBase), sourceFilter(config), key, previous, cacheDir && path.join(cacheDir, 'mtime-probe'));
}

/** Bumped when listSourceFiles decides differently (the names it skips, how it prunes). */
const LISTING_VERSION = 1;

/**
 * Builds the import graph. Each file's imports are cached by content hash; their resolutions
 * are cached while the file list, tsconfigs and workspace manifests are unchanged. So an
 * unchanged tree parses nothing and one edited file re-parses and re-resolves one file,
 * unlike dependency-cruiser's whole-result cache that any edit invalidates.
 * TypeScript itself is loaded only when some file has to be parsed or resolved.
 */
export async function buildGraph(config: ResolvedConfig, options: BuildOptions = {}): Promise<{ graph: ImportGraph; stats: GraphStats }> {
  // Built in its own frame, so everything it allocated besides the graph is unreachable here.
  const built = await build(config, options);
  if (Math.max(built.stats.parsed, built.stats.resolved) >= (options.collectAfter ?? 2000)) collectGarbage();
  return built;
}

async function build(config: ResolvedConfig, options: BuildOptions): Promise<{ graph: ImportGraph; stats: GraphStats }> {
  const started = performance.now();
  const useCache = options.cache ?? config.cache.enabled;
  const cacheFile = path.join(config.root, config.cache.dir, 'graph.bin');
  const cacheDir = useCache ? path.join(config.root, config.cache.dir) : undefined;
  const previous = useCache ? GraphCacheReader.read(cacheFile, GRAPH_VERSION) : undefined;
  const before = previous?.header;
  const { files: listed, listing } = listSourceFilesReusing(config, before?.listing, cacheDir);
  if (listed.length === 0) {
    throw new ConfigError(`no source file matches ${JSON.stringify(config.include)} (after exclusions)`, 'include');
  }
  // A dangling symlink (an editor's `.#x.ts` lock) or an unreadable file is skipped and said so.
  const skipped: { file: string; reason: string }[] = [];
  const stats = new Map<string, { mtimeMs: number; size: number }>();
  for (const file of listed) {
    try {
      const st = statSync(`${config.root}/${file}`);
      if (st.isFile()) stats.set(file, st);
      else skipped.push({ file, reason: 'not a regular file' });
    } catch (err) {
      skipped.push({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
  }
  const files = listed.filter((f) => stats.has(f));
  const known = new Set(files);
  const workspaces = findWorkspacePackages(config.root);
  const around = configFilesAround(config.root, files, config.tsconfig);
  const keyOf = (inputs: string[]) =>
    contentHash(JSON.stringify([files, [...workspaces], inputs.map((f) => [f, safeRead(path.resolve(config.root, f))])]));
  const previousInputs = before?.inputs ?? [];
  const resolutionKey = keyOf(union(around, previousInputs));
  const sameResolution = before?.resolutionKey === resolutionKey;
  const next: GraphCacheHeader = {
    graphVersion: GRAPH_VERSION,
    resolutionKey,
    inputs: sameResolution ? previousInputs : [],
    problems: sameResolution ? before!.problems : [],
    ...(listing ? { listing } : {}),
    ...(sameResolution && before?.outputs ? { outputs: before.outputs } : {}),
  };
  const writer = useCache ? new GraphCacheWriter(previous) : undefined;

  let extract: ((f: string, t: string) => Extraction) | undefined;
  let resolver: Resolver | undefined;
  let parsed = 0;
  let resolvedCount = 0;
  // A fresh walk's listing is worth writing even when no file changed.
  let dirty = !previous || !sameResolution || listing !== before?.listing;

  const classify = createClassifier(config);
  const graph: ImportGraph = {
    files: new Map(),
    edges: [],
    outgoing: new Map(),
    ignores: new Map(),
    hashes: new Map(),
    resolution: new Map(),
    tsconfigProblems: [],
    skipped,
  };

  for (const file of files) {
    const st = stats.get(file)!;
    const slot = previous ? previous.slot(file) : -1;
    // Set when the file had to be read, parsed or resolved; unchanged files stay rows of the old cache.
    let entry: StoredFile | undefined;
    if (slot < 0 || previous!.mtime(slot) !== st.mtimeMs || previous!.size(slot) !== st.size) {
      let text: string;
      try {
        text = readFileSync(path.join(config.root, file), 'utf8');
      } catch (err) {
        skipped.push({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
        continue;
      }
      const hash = contentHash(text);
      dirty = true;
      if (slot >= 0 && previous!.hash(slot) === hash) {
        // Touched, not changed: its rows stay, with the new stat.
        if (!sameResolution) entry = previous!.unresolved(slot, st.mtimeMs, st.size);
      } else {
        if (!extract) {
          compiler(cacheDir);
          extract = (await import('./extract.js')).extractImports;
        }
        const ex = extract(file, text);
        parsed++;
        entry = [st.mtimeMs, st.size, hash, ex.imports.map(storeImport), ex.ignores.length ? ex.ignores : 0, 0, 0];
      }
    } else if (!sameResolution) {
      entry = previous!.unresolved(slot, st.mtimeMs, st.size);
    }

    graph.files.set(file, classify(file));
    let out: ImportEdge[];
    if (entry) {
      if (!entry[5]) {
        if (!resolver) {
          compiler(cacheDir);
          const { Resolver } = await import('./resolver.js');
          // With the resolution key unchanged, a file's tsconfig is the one the cache recorded.
          const recorded = (f: string) => {
            const at = sameResolution && previous ? previous.slot(f) : -1;
            return at >= 0 ? previous!.fileResolution(at) : undefined;
          };
          resolver = new Resolver(config.root, known, config.tsconfig, workspaces, recorded, sameResolution ? before?.outputs : undefined);
        }
        const r = resolver;
        entry[5] = entry[3].map(([specifier, kind, typeOnly, , , flags = 0]) =>
          storeResolution(r.resolve(file, specifier, KINDS[kind]!, typeOnly === 1, (flags & 1) === 1, flags & 2 ? 'import' : flags & 4 ? 'require' : undefined)),
        );
        entry[6] = storeFileResolution(r.fileInfo(file));
        resolvedCount++;
        dirty = true;
      }
      writer?.add(file, entry);
      graph.hashes.set(file, entry[2]);
      graph.resolution.set(file, fileResolutionOf(entry[6] as StoredFileResolution));
      if (entry[4]) graph.ignores.set(file, entry[4]);
      out = edgesOf(file, entry[3], entry[5]);
    } else {
      writer?.copy(file, slot, st.mtimeMs, st.size);
      graph.hashes.set(file, previous!.hash(slot));
      graph.resolution.set(file, previous!.fileResolution(slot));
      const ignores = previous!.ignores(slot);
      if (ignores) graph.ignores.set(file, ignores);
      out = previous!.edges(slot, file);
    }
    graph.outgoing.set(file, out);
    for (const e of out) graph.edges.push(e);
  }

  if (resolver) {
    const problems = new Map(next.problems.map((p) => [`${p.file}\0${p.message}`, p]));
    // Only tsconfigs that govern a scanned file matter (a broken example app's config does not).
    const governing = new Set([...graph.resolution.values()].map((r) => r.tsconfig));
    for (const project of resolver.tsconfigs.projects()) {
      if (!governing.has(project.file)) continue;
      for (const message of project.problems) problems.set(`${project.file}\0${message}`, { file: project.file, message });
    }
    next.problems = [...problems.values()].sort((a, b) => a.file.localeCompare(b.file) || a.message.localeCompare(b.message));
    const read = [...resolver.host.read].map((f) => relOrAbs(config.root, f)).filter((f) => !f.includes('node_modules/') || !f.endsWith('/package.json'));
    next.inputs = union(around, next.inputs, read);
    next.resolutionKey = keyOf(next.inputs);
    next.outputs = resolver.outputs.map((m) => ({ out: relOrAbs(config.root, m.out), src: relOrAbs(config.root, m.src) }));
  }
  graph.tsconfigProblems = next.problems;

  if (writer && (dirty || previous?.fileCount !== files.length)) writer.write(cacheFile, next);
  return {
    graph,
    stats: {
      files: files.length,
      edges: graph.edges.length,
      parsed,
      resolved: resolvedCount,
      imports: countResolutions(graph.edges),
      skipped: skipped.length,
      walked: listing !== before?.listing || listing === undefined,
      ms: Math.round(performance.now() - started),
    },
  };
}

/** Resolved and unresolved imports per specifier shape. */
export function countResolutions(edges: Iterable<ImportEdge>): ResolutionCounts {
  const counts: ResolutionCounts = {
    relative: { resolved: 0, unresolved: 0 },
    alias: { resolved: 0, unresolved: 0 },
    workspace: { resolved: 0, unresolved: 0 },
    package: { resolved: 0, unresolved: 0 },
    builtin: { resolved: 0, unresolved: 0 },
  };
  for (const e of edges) {
    if (e.resolution === 'unresolved') counts[e.unresolvedAs ?? 'relative'].unresolved++;
    else if (e.resolution === 'ambient') (counts.ambient ??= { resolved: 0, unresolved: 0 }).resolved++;
    else counts[e.resolution].resolved++;
  }
  return counts;
}

/**
 * The tsconfig.json and package.json files in every folder that holds a scanned file or
 * contains one, plus the listed tsconfigs: a new or edited one changes resolution.
 */
function configFilesAround(root: string, files: string[], listed: string[]): string[] {
  const dirs = new Set<string>(['']);
  for (const f of files) {
    for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) {
      const dir = f.slice(0, i);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  const out = [...listed];
  for (const dir of dirs) {
    for (const name of ['tsconfig.json', 'package.json']) {
      const rel = dir ? `${dir}/${name}` : name;
      if (isFileQuiet(path.join(root, rel))) out.push(rel);
    }
  }
  return out;
}

function isFileQuiet(abs: string): boolean {
  try {
    return statSync(abs, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}

function relOrAbs(root: string, abs: string): string {
  const rel = path.relative(root, abs).replaceAll('\\', '/');
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

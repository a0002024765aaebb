import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import type { TsApi } from './compiler.js';
import type { ResolutionHost } from './host.js';

/** One parsed tsconfig. */
export interface Project {
  /** Repo-relative path (absolute when outside the repository). */
  file: string;
  options: TS.CompilerOptions;
  /** Scanned files the project holds (its `files`/`include` minus `exclude`), repo-relative. */
  holds: ReadonlySet<string>;
  /** Absolute paths of the projects it references. */
  references: string[];
  /** Errors that make its options untrustworthy (a missing `extends` target, unreadable JSON). */
  problems: string[];
  cache: TS.ModuleResolutionCache;
  /** The project's `.d.ts` files on disk (its `files`/`include` minus `exclude`, absolute): not scanned, but they declare ambient modules. Listed on first use. */
  declarationFiles(): string[];
}

/** How a file got its tsconfig, as `archfit graph --level file` and `archfit modules` show it. */
export type Governance = 'includes' | 'reference' | 'nearest' | 'listed' | 'none';

export interface Governing {
  project?: Project;
  how: Governance;
}

/** Diagnostics that only deprecate or complain about inputs; they do not change resolution. */
const HARMLESS = new Set([18003 /* no inputs were found */, 5101, 5107, 5108, 5110 /* deprecations */]);

/**
 * Which tsconfig governs each file, the way the TypeScript language service decides it: the
 * nearest `tsconfig.json` up the folder tree whose project holds the file (its `files`,
 * `include` and `exclude`), else a project it references (solution-style roots with
 * `files: []` and `references`), else the next one further up. A file no project holds gets
 * the nearest tsconfig's options ("nearest"). `extends` is followed the way `tsc` follows it,
 * through packages too. With an explicit `tsconfig` list in the archfit config, only those
 * (and what they reference) are candidates: the deepest one holding the file, else the
 * deepest whose folder contains it.
 */
export class Tsconfigs {
  private readonly parsed = new Map<string, Project | undefined>();
  private readonly nearestCache = new Map<string, string | undefined>();
  private entries: Map<string, { files: string[]; directories: string[] }> | undefined;
  private readonly explicit: string[] | undefined;

  constructor(
    private readonly ts: TsApi,
    private readonly root: string,
    private readonly known: Iterable<string>,
    private readonly host: ResolutionHost,
    listed: string[],
  ) {
    this.explicit = listed.length ? listed.map((f) => path.join(root, f)) : undefined;
  }

  governing(fileRel: string): Governing {
    const abs = path.join(this.root, fileRel);
    if (this.explicit) return this.fromList(fileRel, abs);
    let first: Project | undefined;
    for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
      const config = this.nearestConfig(dir);
      if (!config) break;
      const project = this.project(config);
      if (project) {
        first ??= project;
        if (project.holds.has(fileRel)) return { project, how: 'includes' };
        const viaRef = this.referenced(project, fileRel, new Set([config]));
        if (viaRef) return { project: viaRef, how: 'reference' };
      }
      dir = path.dirname(config);
      if (dir === this.root || path.dirname(dir) === dir) break;
    }
    return first ? { project: first, how: 'nearest' } : { how: 'none' };
  }

  /** The governance a file had when it was last resolved (see Resolver's knownGovernance). */
  recorded(known: { tsconfig?: string; how: Governance }): Governing {
    const project = known.tsconfig === undefined ? undefined : this.project(path.resolve(this.root, known.tsconfig));
    return project ? { project, how: known.how } : { how: known.tsconfig === undefined ? known.how : 'none' };
  }

  /** Every project parsed so far. */
  projects(): Project[] {
    return [...this.parsed.values()].filter((p): p is Project => p !== undefined);
  }

  private fromList(fileRel: string, abs: string): Governing {
    const candidates: Project[] = [];
    const seen = new Set<string>();
    const add = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const p = this.project(file);
      if (!p) return;
      candidates.push(p);
      p.references.forEach(add);
    };
    this.explicit!.forEach(add);
    const depth = (p: Project) => path.dirname(path.resolve(this.root, p.file)).length;
    const byDepth = candidates.sort((a, b) => depth(b) - depth(a));
    const holding = byDepth.find((p) => p.holds.has(fileRel));
    if (holding) return { project: holding, how: 'listed' };
    const around = byDepth.find((p) => {
      const dir = path.dirname(path.resolve(this.root, p.file));
      return abs.startsWith(`${dir}${path.sep}`);
    });
    return around ? { project: around, how: 'nearest' } : { how: 'none' };
  }

  private referenced(project: Project, fileRel: string, seen: Set<string>): Project | undefined {
    for (const ref of project.references) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const p = this.project(ref);
      if (!p) continue;
      if (p.holds.has(fileRel)) return p;
      const deeper = this.referenced(p, fileRel, seen);
      if (deeper) return deeper;
    }
    return undefined;
  }

  /** `tsconfig.json` in `dir` or the nearest folder above it, up to the repository root. */
  private nearestConfig(dir: string): string | undefined {
    const hit = this.nearestCache.get(dir);
    if (hit !== undefined || this.nearestCache.has(dir)) return hit;
    const candidate = path.join(dir, 'tsconfig.json');
    let found: string | undefined;
    if (this.host.fileExists(candidate)) found = candidate;
    else if (dir !== this.root && dir.startsWith(this.root) && path.dirname(dir) !== dir) found = this.nearestConfig(path.dirname(dir));
    this.nearestCache.set(dir, found);
    return found;
  }

  /** The parsed tsconfig at `abs` (memoised), or undefined when it cannot be read. */
  project(abs: string): Project | undefined {
    if (this.parsed.has(abs)) return this.parsed.get(abs);
    const { ts, host } = this;
    let project: Project | undefined;
    const text = host.readFile(abs);
    if (text !== undefined) {
      const json = ts.parseConfigFileTextToJson(abs, text);
      const problems: string[] = [];
      const parseHost: TS.ParseConfigHost = {
        useCaseSensitiveFileNames: true,
        fileExists: host.fileExists,
        readFile: host.readFile,
        // TypeScript's own include/exclude matching, over the scanned files only.
        readDirectory: (dir, extensions, excludes, includes, depth) =>
          (ts as unknown as { matchFiles: MatchFiles }).matchFiles(dir, extensions, excludes, includes, true, this.root, depth, (d: string) => (this.entries ??= directoryTree(this.root, this.known)).get(d) ?? EMPTY, (p: string) => p),
      };
      if (json.error) problems.push(flatten(ts, json.error));
      const parse = (readDirectory: TS.ParseConfigHost['readDirectory']) =>
        ts.parseJsonConfigFileContent(json.config ?? {}, { ...parseHost, readDirectory }, path.dirname(abs), undefined, abs);
      // Options first, without listing files (most of the cost of a parse at 5,000 files): a
      // file whose tsconfig is known from the cache, and the output mappings, need only these.
      // The file list is computed the first time `holds` is asked for.
      const parsed = parse(() => []);
      for (const d of parsed.errors) if (d.category === ts.DiagnosticCategory.Error && !HARMLESS.has(d.code)) problems.push(flatten(ts, d));
      let holds: Set<string> | undefined;
      const listHolds = () => {
        const out = new Set<string>();
        for (const f of parse(parseHost.readDirectory).fileNames) {
          const rel = path.relative(this.root, f).replaceAll('\\', '/');
          if (!rel.startsWith('..')) out.add(rel);
        }
        return out;
      };
      const options = parsed.options;
      let declarations: string[] | undefined;
      const declarationFiles = () =>
        (declarations ??= parse((dir, _ext, excludes, includes, depth) => ts.sys.readDirectory(dir, ['.d.ts'], excludes, includes, depth)).fileNames.filter((f) => f.endsWith('.d.ts')));
      project = {
        declarationFiles,
        file: relOrAbs(this.root, abs),
        options,
        get holds() {
          return (holds ??= listHolds());
        },
        references: (parsed.projectReferences ?? []).map((r) => ts.resolveProjectReferencePath(r)),
        problems,
        cache: ts.createModuleResolutionCache(path.dirname(abs), (f) => f, options),
      };
    }
    this.parsed.set(abs, project);
    return project;
  }
}

type MatchFiles = (
  path: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean,
  currentDirectory: string,
  depth: number | undefined,
  getFileSystemEntries: (path: string) => { files: readonly string[]; directories: readonly string[] },
  realpath: (path: string) => string,
) => string[];

const EMPTY = { files: [] as string[], directories: [] as string[] };

/** Absolute folder -> its scanned files and sub-folders (base names), for `ts.matchFiles`. */
function directoryTree(root: string, known: Iterable<string>): Map<string, { files: string[]; directories: string[] }> {
  const tree = new Map<string, { files: string[]; directories: string[] }>();
  const entry = (dir: string) => {
    let e = tree.get(dir);
    if (!e) {
      e = { files: [], directories: [] };
      tree.set(dir, e);
    }
    return e;
  };
  for (const rel of known) {
    const parts = rel.split('/');
    let dir = root.replaceAll('\\', '/');
    for (let i = 0; i < parts.length - 1; i++) {
      const e = entry(dir);
      if (!e.directories.includes(parts[i]!)) e.directories.push(parts[i]!);
      dir = `${dir}/${parts[i]}`;
    }
    entry(dir).files.push(parts[parts.length - 1]!);
  }
  return tree;
}

function relOrAbs(root: string, abs: string): string {
  const rel = path.relative(root, abs).replaceAll('\\', '/');
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function flatten(ts: TsApi, d: TS.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, ' ');
}

import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import { compiler } from './compiler.js';
import type { ImportKind, ResolutionKind } from './types.js';
import { packageName } from './workspaces.js';

export interface Resolution {
  to?: string;
  external?: string;
  resolution: ResolutionKind;
}

interface Scope {
  /** Repo-relative folder the tsconfig governs ('' for the root). */
  dir: string;
  options: TS.CompilerOptions;
  cache: TS.ModuleResolutionCache;
}

/** Loaded with the first Resolver: the compiler is needed only when something must be resolved. */
let ts: ReturnType<typeof compiler>;
let DEFAULT_OPTIONS: TS.CompilerOptions;

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

/**
 * Resolves specifiers the way the TypeScript compiler does (`ts.resolveModuleName` with one
 * resolution cache per tsconfig, so `paths`, `baseUrl`, NodeNext `.js` -> `.ts` and package
 * `exports` all behave as in the build), with two additions: each file uses the nearest
 * tsconfig (monorepos have one per workspace), and workspace package names map to the
 * package's source, not its built `dist/*.d.ts`.
 */
export class Resolver {
  private readonly scopes: Scope[];
  private readonly exists = new Map<string, boolean>();
  private readonly dirExists = new Map<string, boolean>();
  private readonly real = new Map<string, string>();
  private readonly host: TS.ModuleResolutionHost;

  constructor(
    private readonly root: string,
    private readonly known: ReadonlySet<string>,
    tsconfigs: string[],
    private readonly workspaces: Map<string, string>,
  ) {
    ts ??= compiler();
    DEFAULT_OPTIONS ??= {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowJs: true,
      resolveJsonModule: true,
    };
    this.host = {
      fileExists: (f) => this.fileExists(f),
      readFile: (f) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return undefined;
        }
      },
      directoryExists: (d) => this.directoryExists(d),
      realpath: (p) => this.realpath(p),
      getCurrentDirectory: () => root,
    };
    this.scopes = tsconfigs
      .map((rel) => this.loadScope(rel))
      .sort((a, b) => b.dir.length - a.dir.length);
  }

  resolve(fromRel: string, specifier: string, kind: ImportKind): Resolution {
    const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
    if (specifier.startsWith('node:') || (!specifier.startsWith('.') && isBuiltin(bare))) {
      return { external: `node:${bare}`, resolution: 'builtin' };
    }
    const isRelative = specifier.startsWith('.') || specifier.startsWith('/');
    if (!isRelative) {
      const workspaceDir = this.workspaces.get(packageName(specifier));
      if (workspaceDir !== undefined) {
        const to = this.resolveWorkspace(fromRel, specifier, workspaceDir, kind);
        if (to) return { to, resolution: 'workspace' };
      }
    }
    const result = this.tsResolve(fromRel, specifier, kind);
    if (result) {
      const rel = this.toRepoRelative(this.realpath(result.resolvedFileName));
      if (rel !== undefined && !rel.includes('node_modules/')) {
        return { to: rel, resolution: isRelative ? 'relative' : 'alias' };
      }
    }
    if (isRelative) return { resolution: 'unresolved' };
    return { external: packageName(specifier), resolution: 'package' };
  }

  /** TypeScript's resolution with the importing file's tsconfig and cache; CommonJS conditions for require forms. */
  private tsResolve(fromRel: string, specifier: string, kind: ImportKind): TS.ResolvedModuleFull | undefined {
    const scope = this.scopeFor(fromRel);
    const mode = kind === 'require' || kind === 'import-equals' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext;
    return ts.resolveModuleName(
      specifier,
      path.join(this.root, fromRel),
      scope?.options ?? DEFAULT_OPTIONS,
      this.host,
      scope?.cache,
      undefined,
      mode,
    ).resolvedModule;
  }

  private resolveWorkspace(fromRel: string, specifier: string, dir: string, kind: ImportKind): string | undefined {
    const sub = specifier.slice(packageName(specifier).length).replace(/^\//, '');
    if (sub) return this.tryFile(path.posix.join(dir, sub));
    // The package root: ask TypeScript (honours `exports`/`types`), then prefer the source.
    const result = this.tsResolve(fromRel, specifier, kind);
    const rel = result ? this.toRepoRelative(this.realpath(result.resolvedFileName)) : undefined;
    if (rel && this.known.has(rel)) return rel;
    return this.tryFile(`${dir}/src/index`) ?? this.tryFile(`${dir}/index`) ?? rel;
  }

  /** `a/b` or `a/b.js` -> the scanned source file it stands for. */
  private tryFile(relNoExt: string): string | undefined {
    const base = relNoExt.replace(/\.(?:[cm]?js|jsx)$/, '');
    for (const candidate of [relNoExt, ...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => `${base}/index${e}`)]) {
      if (this.known.has(candidate)) return candidate;
    }
    return undefined;
  }

  private scopeFor(fromRel: string): Scope | undefined {
    return this.scopes.find((s) => s.dir === '' || fromRel.startsWith(`${s.dir}/`));
  }

  private loadScope(rel: string): Scope {
    const abs = path.join(this.root, rel);
    const read = ts.readConfigFile(abs, ts.sys.readFile);
    // A host that lists no directory: we only need compilerOptions, not the file list.
    const parseHost: TS.ParseConfigHost = {
      useCaseSensitiveFileNames: true,
      readDirectory: () => [],
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
    };
    const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, parseHost, path.dirname(abs), undefined, abs);
    const options = { ...parsed.options, allowJs: true, resolveJsonModule: true };
    if (options.moduleResolution === undefined) options.moduleResolution = DEFAULT_OPTIONS.moduleResolution;
    const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
    return {
      dir,
      options,
      cache: ts.createModuleResolutionCache(path.dirname(abs), (f) => f, options),
    };
  }

  private toRepoRelative(abs: string): string | undefined {
    const rel = path.relative(this.root, abs).replaceAll('\\', '/');
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
  }

  private fileExists(abs: string): boolean {
    const rel = this.toRepoRelative(abs);
    if (rel !== undefined && this.known.has(rel)) return true;
    return memo(this.exists, abs, () => statSync(abs, { throwIfNoEntry: false })?.isFile() ?? false);
  }

  private directoryExists(abs: string): boolean {
    return memo(this.dirExists, abs, () => statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false);
  }

  private realpath(p: string): string {
    return memo(this.real, p, () => {
      try {
        return realpathSync(p);
      } catch {
        return p;
      }
    });
  }
}

/** The file system is asked once per path per run. */
function memo<T>(map: Map<string, T>, key: string, compute: () => T): T {
  let hit = map.get(key);
  if (hit === undefined) {
    hit = compute();
    map.set(key, hit);
  }
  return hit;
}

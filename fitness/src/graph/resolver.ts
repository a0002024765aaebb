import { readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import { AmbientModules } from './ambient.js';
import { compiler } from './compiler.js';
import { ResolutionHost, type OutputMapping } from './host.js';
import { Tsconfigs, type Governance, type Project } from './tsconfigs.js';
import type { ImportKind, ResolutionKind, SpecifierKind } from './types.js';
import { packageName } from './workspaces.js';

export interface Resolution {
  to?: string;
  external?: string;
  resolution: ResolutionKind;
  /** For `unresolved`: what the specifier looks like (relative, alias, workspace, package). */
  shape?: SpecifierKind;
  /** `output`: TypeScript found a workspace package's build output, mapped to its source. `asset`: a non-code file (css, svg) that exists. */
  via?: 'output' | 'asset';
  /** The resolution mode TypeScript used: 'import' (ESM conditions) or 'require' (CommonJS). */
  mode?: 'import' | 'require';
  /** Workspace package name, for `workspace` resolutions. */
  package?: string;
  /** For `ambient`: the ambient module declaration that matched. */
  ambient?: string;
  /** For `unresolved`: type packages the tsconfig names that are not installed. */
  missingTypes?: string[];
}

/** The tsconfig and module format a file is resolved with. */
export interface FileResolution {
  tsconfig?: string;
  how: Governance;
  /** TypeScript's implied node format for the file: esm, cjs, or undefined (the tsconfig's `module` decides). */
  format?: 'esm' | 'cjs';
}

/** Loaded with the first Resolver: the compiler is needed only when something must be resolved. */
let ts: ReturnType<typeof compiler>;

/** Options for files no tsconfig governs. */
export function defaultOptions(api: typeof ts): TS.CompilerOptions {
  return {
    module: api.ModuleKind.ESNext,
    moduleResolution: api.ModuleResolutionKind.Bundler,
    allowJs: true,
    resolveJsonModule: true,
  };
}

const NPM_NAME = /^(?:@[a-z0-9-*~][a-z0-9-*._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const CODE_EXTENSION = /\.(?:[cm]?[jt]sx?|json)$/;
/** One of each import form, parsed once per (project, file format): TypeScript decides each one's mode. */
const PROBE = 'import "m";\nimport("m");\nrequire("m");\nimport e = require("m");\ntype T = import("m");\n';

interface FileState {
  project?: Project;
  options: TS.CompilerOptions;
  cache?: TS.ModuleResolutionCache;
  info: FileResolution;
  modes: Record<'static' | 'call' | 'type' | 'require', TS.ResolutionMode>;
}

/**
 * Resolves specifiers exactly as the TypeScript compiler does for the importing file:
 * `ts.resolveModuleName` with the file's governing tsconfig (see Tsconfigs), the resolution
 * mode TypeScript itself computes for that import form in that file (its implied node format
 * from `.mts`/`.cts` or the nearest package.json `type`), and a host where workspace packages
 * are linked and built (see ResolutionHost), so `exports`, `types` and conditions are
 * TypeScript's choice and the result is mapped back to the package's source.
 * What TypeScript cannot resolve stays unresolved, labelled by shape; it is never a package
 * unless it is shaped like an npm package name.
 */
export class Resolver {
  readonly host: ResolutionHost;
  readonly tsconfigs: Tsconfigs;
  /** Build output folder -> source folder, per workspace package (absolute). */
  readonly outputs: readonly OutputMapping[];
  private readonly files = new Map<string, FileState>();
  private readonly probes = new Map<string, FileState['modes']>();
  private readonly ambients = new Map<Project | undefined, AmbientModules>();
  private readonly workspaceDirs: [string, string][];
  private readonly defaults: TS.CompilerOptions;
  private readonly defaultCache: TS.ModuleResolutionCache;

  constructor(
    private readonly root: string,
    known: ReadonlySet<string>,
    tsconfigs: string[],
    private readonly workspaces: Map<string, string>,
    /**
     * How a file was governed when that cannot have changed (the cache's resolution key
     * holds: same file list, same tsconfigs): its tsconfig is then taken as known, without
     * listing every project's files to decide it again.
     */
    private readonly knownGovernance?: (fromRel: string) => { tsconfig?: string; how: Governance } | undefined,
    /** Output folder -> source folder mappings computed by an earlier run with the same resolution key (repo-relative). */
    knownOutputs?: OutputMapping[],
  ) {
    ts ??= compiler();
    this.defaults = defaultOptions(ts);
    this.defaultCache = ts.createModuleResolutionCache(root, (f) => f, this.defaults);
    const outputs: OutputMapping[] = [];
    this.host = new ResolutionHost(root, known, workspaces, outputs);
    this.tsconfigs = new Tsconfigs(ts, root, known, this.host, tsconfigs);
    outputs.push(...(knownOutputs ? knownOutputs.map((m) => ({ out: path.resolve(root, m.out), src: path.resolve(root, m.src) })) : this.outputMappings(known)));
    this.outputs = outputs;
    this.workspaceDirs = [...workspaces].map(([name, dir]) => [name, dir]);
  }

  /** The tsconfig, governance and format the file is resolved with. */
  fileInfo(fromRel: string): FileResolution {
    return this.state(fromRel).info;
  }

  /** `override`: a `resolution-mode` attribute TypeScript honours on this import (see extract.ts). */
  resolve(fromRel: string, specifier: string, kind: ImportKind, typeOnly = false, sideEffect = false, override?: 'import' | 'require'): Resolution {
    const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
    if (specifier.startsWith('node:') || (!specifier.startsWith('.') && isBuiltin(bare))) {
      return { external: `node:${bare}`, resolution: 'builtin' };
    }
    const state = this.state(fromRel);
    const mode = override === 'import' ? ts.ModuleKind.ESNext : override === 'require' ? ts.ModuleKind.CommonJS : state.modes[formOf(kind, typeOnly)];
    const modeName = mode === ts.ModuleKind.CommonJS ? 'require' : mode === ts.ModuleKind.ESNext ? 'import' : undefined;
    const withMode = <T extends Resolution>(r: T): T => (modeName ? { ...r, mode: modeName } : r);
    const isRelative = specifier.startsWith('.') || specifier.startsWith('/');
    const result = ts.resolveModuleName(specifier, path.join(this.root, fromRel), state.options, this.host, state.cache, undefined, mode).resolvedModule;
    if (result) {
      let abs = this.host.realpath(result.resolvedFileName);
      const source = this.host.sourceOf(abs);
      if (source) abs = source;
      const rel = this.toRepoRelative(abs);
      if (rel !== undefined && !rel.includes('node_modules/')) {
        const pkg = isRelative ? undefined : this.workspaceOf(specifier, rel);
        const r: Resolution = { to: rel, resolution: isRelative ? 'relative' : pkg ? 'workspace' : 'alias' };
        if (pkg) r.package = pkg;
        if (source) r.via = 'output';
        return withMode(r);
      }
      return withMode({ external: packageName(specifier), resolution: 'package' });
    }
    // No file: TypeScript then takes an ambient module declaration the program sees
    // (`declare module '*.css'`, `'*?url'` from vite/client), so the import type-checks.
    const shape = this.shapeOf(specifier, state.options);
    const ambients = this.ambientModules(state.project);
    const ambient = ambients.match(specifier, isRelative);
    if (ambient) return withMode({ resolution: 'ambient', ambient, ...(shape === 'package' ? { external: packageName(specifier) } : {}) });
    const asset = isRelative ? specifier.replace(/[?#].*$/, '') : '';
    if (asset && !CODE_EXTENSION.test(asset) && /\.[A-Za-z0-9]+$/.test(asset) && (sideEffect || ambients.missingTypes.length > 0)) {
      // `import './styles.css'` of a file that exists: TypeScript does not require a
      // side-effect import to resolve. Any other import of an asset needs a declaration; when
      // a type package the program names is not installed, which ones it has is unknown.
      const abs = path.resolve(path.dirname(path.join(this.root, fromRel)), asset);
      const rel = this.toRepoRelative(abs);
      if (rel !== undefined && this.host.fileExists(abs)) return withMode({ to: rel, resolution: 'relative', via: 'asset' });
    }
    return withMode({
      resolution: 'unresolved',
      shape,
      ...(shape === 'package' ? { external: packageName(specifier) } : {}),
      ...(ambients.missingTypes.length ? { missingTypes: [...new Set(ambients.missingTypes)] } : {}),
    });
  }

  /** What an unresolved specifier was meant to be. Only a well-formed npm name that is no alias and no workspace package counts as a package. */
  shapeOf(specifier: string, options: TS.CompilerOptions): SpecifierKind {
    if (specifier.startsWith('.') || specifier.startsWith('/')) return 'relative';
    const name = packageName(specifier);
    if (this.workspaces.has(name)) return 'workspace';
    if (/^[~#]/.test(specifier) || !NPM_NAME.test(name)) return 'alias';
    for (const pattern of Object.keys(options.paths ?? {})) {
      const star = pattern.indexOf('*');
      if (star < 0 ? pattern === specifier : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1))) return 'alias';
    }
    const base = options.baseUrl ?? (options.paths ? options.pathsBasePath : undefined);
    if (typeof base === 'string' && this.host.directoryExists(path.join(base, specifier.split('/')[0]!))) return 'alias';
    return 'package';
  }

  /** The ambient module declarations the program of a tsconfig sees (gathered on the first import that needs them). */
  private ambientModules(project: Project | undefined): AmbientModules {
    let found = this.ambients.get(project);
    if (!found) {
      const options = project?.options ?? this.defaults;
      const containing = project ? path.resolve(this.root, project.file) : path.join(this.root, '__inferred__.ts');
      found = AmbientModules.collect(ts, this.host, options, containing, project?.declarationFiles() ?? []);
      this.ambients.set(project, found);
    }
    return found;
  }

  private state(fromRel: string): FileState {
    let state = this.files.get(fromRel);
    if (state) return state;
    const known = this.knownGovernance?.(fromRel);
    const { project, how } = known ? this.tsconfigs.recorded(known) : this.tsconfigs.governing(fromRel);
    const options = project?.options ?? this.defaults;
    const cache = project?.cache ?? this.defaultCache;
    const abs = path.join(this.root, fromRel);
    const implied = (ts as unknown as Internals).getImpliedNodeFormatForFileWorker(abs, cache.getPackageJsonInfoCache(), this.host, options);
    const format = typeof implied === 'object' ? implied?.impliedNodeFormat : implied;
    const scopeType = typeof implied === 'object' ? implied?.packageJsonScope?.contents.packageJsonContent.type : undefined;
    const ext = /\.[cm]?[jt]sx?$/.exec(fromRel)?.[0] ?? '.ts';
    const key = `${project?.file ?? ''}|${ext}|${format}|${scopeType}`;
    let modes = this.probes.get(key);
    if (!modes) {
      modes = this.probeModes(`probe${ext}`, options, format, typeof implied === 'object' ? implied?.packageJsonScope : undefined);
      this.probes.set(key, modes);
    }
    const info: FileResolution = { how };
    if (project) info.tsconfig = project.file;
    if (format === ts.ModuleKind.ESNext) info.format = 'esm';
    else if (format === ts.ModuleKind.CommonJS) info.format = 'cjs';
    state = { options, cache, info, modes, ...(project ? { project } : {}) };
    this.files.set(fromRel, state);
    return state;
  }

  /** Asks `ts.getModeForUsageLocation` for each import form in a file of this format. */
  private probeModes(fileName: string, options: TS.CompilerOptions, format: TS.ResolutionMode, scope: unknown): FileState['modes'] {
    const sf = ts.createSourceFile(path.join(this.root, fileName), PROBE, { languageVersion: ts.ScriptTarget.Latest, impliedNodeFormat: format }, true);
    (sf as unknown as { packageJsonScope: unknown }).packageJsonScope = scope;
    const literals: TS.StringLiteral[] = [];
    const visit = (n: TS.Node): void => {
      if (ts.isStringLiteral(n)) literals.push(n);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    const mode = (i: number) => ts.getModeForUsageLocation(sf, literals[i]!, options);
    return { static: mode(0), call: mode(1), require: mode(2), type: mode(4) };
  }

  private workspaceOf(specifier: string, rel: string): string | undefined {
    const name = packageName(specifier);
    const dir = this.workspaces.get(name);
    return dir !== undefined && (dir === '' || rel.startsWith(`${dir}/`)) ? name : undefined;
  }

  /**
   * Build output folder -> source folder for each workspace package: from the `outDir`,
   * `declarationDir` and `rootDir` of the tsconfigs in the package folder, else `dist`,
   * `build`, `out` and `lib` -> `src` (when those hold no scanned source themselves).
   */
  private outputMappings(known: ReadonlySet<string>): OutputMapping[] {
    const out: OutputMapping[] = [];
    const scannedDirs = new Set<string>();
    for (const f of known) for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) scannedDirs.add(f.slice(0, i));
    for (const dir of this.workspaces.values()) {
      const absDir = path.join(this.root, dir);
      let names: string[] = [];
      try {
        names = readdirSync(absDir).filter((n) => /^tsconfig.*\.json$/.test(n));
      } catch {
        continue;
      }
      for (const name of names) {
        const project = this.tsconfigs.project(path.join(absDir, name));
        const o = project?.options;
        if (!o) continue;
        const src = o.rootDir ?? (scannedDirs.has(`${dir}/src`) ? path.join(absDir, 'src') : absDir);
        for (const folder of [o.outDir, o.declarationDir]) if (folder && folder !== src) out.push({ out: folder, src });
      }
      if (scannedDirs.has(`${dir}/src`)) {
        for (const folder of ['dist', 'build', 'out', 'lib']) {
          const abs = path.join(absDir, folder);
          if (!scannedDirs.has(`${dir}/${folder}`) && !out.some((m) => m.out === abs)) out.push({ out: abs, src: path.join(absDir, 'src') });
        }
      }
    }
    return out;
  }

  private toRepoRelative(abs: string): string | undefined {
    const rel = path.relative(this.root, abs).replaceAll('\\', '/');
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
  }
}

interface Internals {
  getImpliedNodeFormatForFileWorker(
    fileName: string,
    cache: TS.PackageJsonInfoCache,
    host: TS.ModuleResolutionHost,
    options: TS.CompilerOptions,
  ): TS.ResolutionMode | { impliedNodeFormat: TS.ResolutionMode; packageJsonScope?: { contents: { packageJsonContent: { type?: string } } } } | undefined;
}

/** Which probe line an import form corresponds to. */
function formOf(kind: ImportKind, typeOnly: boolean): 'static' | 'call' | 'type' | 'require' {
  if (kind === 'require' || kind === 'import-equals') return 'require';
  if (kind === 'dynamic-import') return typeOnly ? 'type' : 'call';
  return 'static';
}

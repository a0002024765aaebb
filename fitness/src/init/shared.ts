import { existsSync } from 'node:fs';
import path from 'node:path';

/** A module `archfit init` proposes, with where it came from (written as a comment). */
export interface InferredModule {
  name: string;
  /** Repo-relative folder. */
  root: string;
  /** Relative to `root`. */
  publicEntries: string[];
  /** Why it is a module, e.g. `npm workspace @acme/core`. */
  source: string;
  /** Modules it declares a dependency on (workspace package.json), when known. */
  declaredDependencies?: string[];
  tags?: string[];
  /** Its package.json `exports` has a wildcard subpath (`./*`): every file it maps is public. */
  wildcardExports?: boolean;
}

/** Folders never looked in for modules. */
export const IGNORED_FOLDERS = ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/.*/**', '**/test/**', '**/tests/**', '**/__tests__/**', '**/fixtures/**', '**/__fixtures__/**'];
export const INDEX_FILES = ['index.ts', 'index.tsx', 'index.mts', 'index.cts'];

/** True when `child` is `parent` or below it (repo-relative, forward slashes). */
export function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(`${parent}/`);
}

/** A config name: letters, digits, `.`, `_`, `-`; a scope is dropped (`@acme/core` -> `core`). */
export function moduleName(raw: string): string {
  const base = raw.replace(/^@[^/]+\//, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return base || 'module';
}

/** Files (relative to `dir`) that are a package's entry, mapped back to source. */
export function entriesOf(root: string, dir: string, pkg?: PackageJson): string[] {
  const candidates = new Set<string>();
  const targets: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
  };
  // Every subpath the package exports is its API (`.`, `./button`, …); wildcard subpaths
  // (`./*`) are handled by the caller, since they publish whole folders.
  const exp = pkg?.exports;
  if (exp && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'))) {
    for (const [key, value] of Object.entries(exp)) if (!key.includes('*')) collect(value);
  } else collect(exp);
  for (const key of ['types', 'typings', 'module', 'main'] as const) if (typeof pkg?.[key] === 'string') targets.push(pkg[key]);
  for (const t of targets) {
    const rel = path.posix.normalize(t.replace(/^\.\//, ''));
    // dist/index.js, lib/index.d.ts -> src/index.ts; the source file itself when it is .ts.
    const stem = rel.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?[jt]sx?$/, '');
    for (const s of [stem, stem.replace(/^(dist|lib|build|out|esm|cjs)\//, 'src/')]) {
      for (const ext of ['.ts', '.tsx', '.mts', '.cts']) candidates.add(`${s}${ext}`);
    }
  }
  const mapped = [...candidates].filter((c) => existsSync(path.join(root, dir, c)));
  if (mapped.length) return mapped;
  // Nothing declared maps back to a source file: the conventional index is the entry.
  return INDEX_FILES.flatMap((f) => [`src/${f}`, f]).filter((c) => existsSync(path.join(root, dir, c))).slice(0, 1);
}

export interface PackageJson {
  name?: string;
  exports?: unknown;
  main?: string;
  module?: string;
  types?: string;
  typings?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}


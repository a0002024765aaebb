/**
 * The import graph every rule reads. Paths are repository-relative with forward slashes, so
 * reports, baselines and caches are identical on every machine.
 */

/** How an import is written: each form counts for boundary rules. */
export type ImportKind = 'import' | 'export' | 'dynamic-import' | 'require' | 'import-equals';

/** How the specifier was resolved. */
/** `ambient`: TypeScript found no file but an ambient module declaration visible to the program matches it (`declare module '*.css'`, `declare module 'virtual:x'`): no edge, nothing to check. */
export type ResolutionKind = 'relative' | 'alias' | 'workspace' | 'package' | 'builtin' | 'ambient' | 'unresolved';

/** What a specifier is shaped like, resolved or not: how resolution counts are grouped. */
export type SpecifierKind = 'relative' | 'alias' | 'workspace' | 'package';

/** One import or re-export as written in a file, with where it points. */
export interface ImportEdge {
  /** Importing file (repo-relative). */
  from: string;
  /** The specifier exactly as written. */
  specifier: string;
  /** Resolved file inside the repository (repo-relative), when there is one. */
  to?: string;
  /** Package name when the import leaves the repository (npm package or Node builtin). */
  external?: string;
  kind: ImportKind;
  /** `import type`, `export type`, or every specifier marked inline `type`. */
  typeOnly: boolean;
  resolution: ResolutionKind;
  /** For `unresolved` edges: what the specifier was meant to be (`package` ones keep `external`). */
  unresolvedAs?: SpecifierKind;
  /** Workspace package name for `workspace` edges (layer package allow-lists apply to it). */
  package?: string;
  /** `output`: resolved to a workspace package's build output, mapped to its source; `asset`: a non-code file. */
  via?: 'output' | 'asset';
  /** The resolution mode TypeScript used for this import (absent when the tsconfig makes it irrelevant). */
  mode?: 'import' | 'require';
  /** For `ambient` edges: the ambient module declaration that matched (`*.css`, `*?url`, `virtual:pwa`). */
  ambient?: string;
  /** For `unresolved` edges: type packages the governing tsconfig names that are not installed (their ambient declarations may cover the specifier). */
  missingTypes?: string[];
  /** 1-based position of the specifier string. */
  line: number;
  column: number;
}

/** An `// archfit-ignore <rule-id>: <reason>` comment; it exempts the next line. */
export interface InlineIgnore {
  rule: string;
  /** Empty when the author gave none, which is itself reported. */
  reason: string;
  /** 1-based line of the comment. */
  line: number;
  /** 1-based line the exemption applies to (the next non-comment line). */
  appliesTo: number;
}

/** Where a file sits in the module map. */
export interface FileInfo {
  path: string;
  module?: string;
  /** Layer inside its module (`domain`, `application`, ...), if the file lies in a layer folder. */
  layer?: string;
  /** Auth context whose folder holds the file. */
  context?: string;
  /** True inside a shared-kernel folder. */
  shared: boolean;
  /** True when the file is one of its module's public entries. */
  publicEntry: boolean;
}

export interface ImportGraph {
  /** Every scanned source file, classified. */
  files: Map<string, FileInfo>;
  /** Every import edge, in file then source order. */
  edges: ImportEdge[];
  /** Outgoing edges per file. */
  outgoing: Map<string, ImportEdge[]>;
  /** Inline exemptions per file. */
  ignores: Map<string, InlineIgnore[]>;
  /** Content hash per file (used by caches of symbol-level rules). */
  hashes: Map<string, string>;
  /** The tsconfig each file was resolved with, how it was chosen, and the file's module format. */
  resolution: Map<string, FileResolutionInfo>;
  /** tsconfigs whose options could not be trusted (a missing `extends`, broken JSON), with why. */
  tsconfigProblems: { file: string; message: string }[];
  /** Files listed but not readable (dangling symlinks, permissions), skipped with a warning. */
  skipped: { file: string; reason: string }[];
}

/** How a file's imports were resolved. */
export interface FileResolutionInfo {
  /** Governing tsconfig (repo-relative), absent when none applies (built-in defaults). */
  tsconfig?: string;
  /** includes: the tsconfig's files/include hold the file; reference: a project it references does; nearest: none holds it, the nearest one's options apply; listed: chosen from the config's tsconfig list; none. */
  how: 'includes' | 'reference' | 'nearest' | 'listed' | 'none';
  format?: 'esm' | 'cjs';
}

/** Imports per specifier shape, resolved and not: printed in every report so a silent miss is visible. */
export type ResolutionCounts = Record<SpecifierKind | 'builtin', { resolved: number; unresolved: number }> & {
  /** Present when some import matched an ambient module declaration. */
  ambient?: { resolved: number; unresolved: number };
};

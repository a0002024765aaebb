/**
 * The import graph every rule reads. Paths are repository-relative with forward slashes, so
 * reports, baselines and caches are identical on every machine.
 */

/** How an import is written: each form counts for boundary rules. */
export type ImportKind = 'import' | 'export' | 'dynamic-import' | 'require' | 'import-equals';

/** How the specifier was resolved. */
export type ResolutionKind = 'relative' | 'alias' | 'workspace' | 'package' | 'builtin' | 'unresolved';

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
}

import type { ResolvedConfig } from '../config/types.js';
import type { ImportGraph } from '../graph/types.js';

// Declared with the config (a leaf file), so config/types.ts needs nothing from rules/.
import type { Severity } from '../config/severity.js';

export type { Severity };

/** One finding. `file` is repo-relative; `line` and `column` are 1-based. */
export interface Violation {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  /** What is wrong, naming the import or symbol concerned. */
  message: string;
  /** One line: why the rule exists. */
  why: string;
  /** How to fix it. */
  fix: string;
  /** For edge violations: importing module/context/file label. */
  from?: string;
  /** For edge violations: imported module/context/file label or specifier. */
  to?: string;
}

/** What a rule may read. */
export interface RuleContext {
  /** Absolute repository root. */
  root: string;
  /** The resolved archfit config (defaults applied, paths repo-relative). */
  config: ResolvedConfig;
  /** The import graph of every scanned file. */
  graph: ImportGraph;
  /**
   * Files the run is about (`--changed`): rules that work per file may restrict themselves to
   * these; `undefined` means every file.
   */
  focus?: ReadonlySet<string>;
  /** Per-rule cache directory (absolute), present when caching is on. */
  cacheDir?: string;
}

export interface Rule {
  /** Stable, kebab-case id; used in config, exemptions and baselines. */
  id: string;
  severity: Severity;
  /** One line: why the rule exists. */
  why: string;
  /** How to fix a violation. */
  fix: string;
  check(ctx: RuleContext): Violation[] | Promise<Violation[]>;
}

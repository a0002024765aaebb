import type { Severity } from './severity.js';

/** A module after globs are expanded. Paths are repo-relative, forward slashes. */
export interface ResolvedModule {
  name: string;
  root: string;
  /** Repo-relative files other code may import. */
  publicEntries: string[];
  /** Layers this module has a folder for. */
  layers: string[];
  allowedDependencies: string[];
  tags: string[];
}

export interface ResolvedContext {
  name: string;
  root: string;
  /** Globs (repo-relative, `{context}` already substituted) of files that may register its routes. */
  routeFiles: string[];
}

/**
 * What resolving a config needs to know of a rule: its id (rule keys and exemptions must name a
 * known one) and its default severity. config/ has no rule list of its own: the composition
 * roots (the CLI's commands, the package entry, runCheck) hand in the registry, so config/
 * depends on no later stage. A `Rule` is one.
 */
export interface ConfigRule {
  id: string;
  severity: Severity;
}

export interface ResolvedRuleSetting {
  enabled: boolean;
  severity: Severity;
  typeOnly: 'count' | 'ignore';
}

export interface ResolvedExemption {
  rule: string;
  file: string;
  to?: string;
  reason: string;
}

export interface ResolvedLayers {
  /** Declared layer names, in declaration order. */
  names: string[];
  folders: Record<string, string>;
  allowed: Record<string, string[]>;
  /** Absent key: the layer may import any package. */
  packages: Record<string, string[]>;
  private: string[];
}

/** The config every part of archfit reads: defaults applied, globs expanded, paths repo-relative. */
export interface ResolvedConfig {
  /** Absolute repository root. */
  root: string;
  /** Repo-relative path of the config file it came from. */
  configFile: string;
  include: string[];
  exclude: string[];
  /** Repo-relative tsconfig files (may be empty). */
  tsconfig: string[];
  modules: ResolvedModule[];
  layers: ResolvedLayers;
  sharedKernel: string[];
  contexts: ResolvedContext[];
  rules: Record<string, ResolvedRuleSetting>;
  exemptions: ResolvedExemption[];
  baseline: string;
  cache: { enabled: boolean; dir: string };
  /** `naming`: `number` (NNNN-slug.md, the default) or `date` (YYYY-MM-DD-slug.md, as log4brains writes). */
  adr: { dir: string; naming?: 'number' | 'date'; requireConfirmation?: boolean };
  load: { scenarios: string; results: string };
  triggers: {
    evidenceMaxAgeDays: number;
    observed?: Record<string, string>;
    /** Which load evidence may arm or fire a trigger (absent keys: the strict defaults of triggers/policy.ts). */
    evidence?: { profiles?: string[]; definitionHash?: 'match' | 'any'; maxCalibrationError?: number; generatorBehind?: 'reject' | 'accept'; behindAboveCapacity?: 'lower-bound' | 'reject'; capacityMetrics?: string[]; requireFresh?: boolean; externalRunners?: string[] };
  };
  /** Data ownership: schemas a module may read besides its own, and where its SQL lives. */
  data?: { reads: Record<string, string[]>; schemas: Record<string, string>; sql: string[] };
}

// Public library API of archfit. Each area adds its exports here.
import { resolveAdrPaths as resolveAdrPathsFor, type AdrPaths } from './adr/paths.js';
import { loadConfig as loadConfigFor } from './config/load.js';
import type { ConfigRule, ResolvedConfig } from './config/types.js';
import { rules as registeredRules } from './rules/index.js';

export { EXIT } from './cli/exit-codes.js';
export * from './config/index.js';
export type { Rule, RuleContext, Severity, Violation } from './rules/types.js';
export { findRule, rules } from './rules/index.js';
export type * from './graph/types.js';
export { buildGraph, listSourceFiles, type GraphStats } from './graph/build.js';
export { moduleGraph, type ModuleGraph, type ModuleGraphEdge, type ModuleGraphNode } from './graph/module-graph.js';
export { runCheck, type CheckOptions, type CheckResult, type RuleSummary } from './rules/run.js';
export { applyBaseline, readBaseline, writeBaseline, type BaselineEntry } from './rules/baseline.js';
export { CHECK_FORMATS, formatCheckResult, type CheckFormat } from './report/index.js';
export { toDependencyCruiserConfig, type DepcruiseConfig, type DepcruiseRule } from './report/depcruise.js';
export { toDot, toMermaid } from './report/graph-text.js';
export { toHtml, toSvg } from './report/graph-svg.js';
export * from './adr/index.js';
export * from './triggers/index.js';

// config/ knows no rules (it comes first in the pipeline): its loadConfig and the ADR paths
// built on it take the rule list from the caller. The package's versions below hand in the
// built-in rules unless told otherwise; they take the place of the stages' own exports of
// the same names in the `export *` lines above.

/**
 * Finds (from `start` upwards), loads, validates and resolves the archfit config. Rule keys and
 * exemptions are checked against `options.rules`, by default the built-in rules.
 */
export function loadConfig(start: string, options: { rules?: readonly ConfigRule[]; cache?: boolean } = {}): Promise<ResolvedConfig> {
  return loadConfigFor(start, { ...options, rules: options.rules ?? registeredRules });
}

/** Where the ADRs and load scenarios live (explicit options, else the config, else the defaults). */
export function resolveAdrPaths(options: { root?: string; dir?: string; scenarios?: string; rules?: readonly ConfigRule[] } = {}): Promise<AdrPaths> {
  return resolveAdrPathsFor({ ...options, rules: options.rules ?? registeredRules });
}

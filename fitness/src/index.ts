// Public library API of archfit. Each area adds its exports here.
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
export { toDot, toMermaid } from './report/graph-text.js';
export { toHtml, toSvg } from './report/graph-svg.js';
export * from './adr/index.js';
export * from './triggers/index.js';

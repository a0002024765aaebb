// Public library API of archfit. Each area adds its exports here.
export { EXIT } from './cli/exit-codes.js';
export * from './config/index.js';
export type { Rule, RuleContext, Severity, Violation } from './rules/types.js';
export { findRule, rules } from './rules/index.js';
export type * from './graph/types.js';
export * from './adr/index.js';

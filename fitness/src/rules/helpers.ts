import type { FileInfo, ImportEdge } from '../graph/types.js';
import type { Rule, RuleContext, Violation } from './types.js';

/** Edges a rule should look at: type-only ones dropped when the rule is set to ignore them. */
export function edgesFor(ctx: RuleContext, ruleId: string): ImportEdge[] {
  const ignoreTypeOnly = ctx.config.rules[ruleId]?.typeOnly === 'ignore';
  const edges = ignoreTypeOnly ? ctx.graph.edges.filter((e) => !e.typeOnly) : ctx.graph.edges;
  return ctx.focus ? edges.filter((e) => ctx.focus!.has(e.from)) : edges;
}

/** A violation located at an import's specifier. */
export function edgeViolation(rule: Rule, edge: ImportEdge, message: string, from?: string, to?: string): Violation {
  const v: Violation = {
    rule: rule.id,
    severity: rule.severity,
    file: edge.from,
    line: edge.line,
    column: edge.column,
    message,
    why: rule.why,
    fix: rule.fix,
  };
  if (from !== undefined) v.from = from;
  if (to !== undefined) v.to = to;
  return v;
}

/** How an import is written, for messages: `import type "…"`, `export … from "…"`, `require("…")`. */
export function describeImport(edge: ImportEdge): string {
  const type = edge.typeOnly ? ' type' : '';
  switch (edge.kind) {
    case 'export':
      return `export${type} … from "${edge.specifier}"`;
    case 'dynamic-import':
      return `import${edge.typeOnly ? ' type' : ''}("${edge.specifier}")`;
    case 'require':
      return `require("${edge.specifier}")`;
    case 'import-equals':
      return `import = require("${edge.specifier}")`;
    default:
      return `import${type} "${edge.specifier}"`;
  }
}

/** A short name for where a file sits: `module orders`, `context admin`, `shared kernel`, or the path. */
export function placeOf(info: FileInfo | undefined, file: string): string {
  if (info?.module) return `module ${info.module}`;
  if (info?.context) return `context ${info.context}`;
  if (info?.shared) return 'the shared kernel';
  return file;
}

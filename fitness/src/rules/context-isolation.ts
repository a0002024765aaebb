import { inContextFolder } from '../graph/classify.js';
import { describeImport, edgeViolation, edgesFor } from './helpers.js';
import type { Rule, Violation } from './types.js';

/**
 * Auth contexts never import each other (a context's folder and the route files that belong to
 * it, e.g. `modules/<m>/api/routes/<context>.ts`), and modules never import a context folder.
 */
export const contextIsolation: Rule = {
  id: 'context-isolation',
  severity: 'error',
  why: "Each auth context (consumer, seller, admin, public) is its own trust boundary; code shared across them leaks one audience's permissions into another's.",
  fix: 'Move what both contexts need into a module (imported through its index.ts) or the shared kernel; a module hands routes to a context, it never imports one.',
  check(ctx) {
    const out: Violation[] = [];
    if (ctx.config.contexts.length === 0) return out;
    for (const edge of edgesFor(ctx, contextIsolation.id)) {
      if (!edge.to) continue;
      const source = ctx.graph.files.get(edge.from);
      const target = ctx.graph.files.get(edge.to);
      if (!source || !target?.context) continue;
      if (source.context && source.context !== target.context) {
        out.push(
          edgeViolation(contextIsolation, edge, `${describeImport(edge)}: context ${source.context} imports ${edge.to} of context ${target.context}`, source.context, target.context),
        );
        continue;
      }
      const targetFolder = inContextFolder(ctx.config, edge.to);
      if (source.module && targetFolder) {
        out.push(
          edgeViolation(contextIsolation, edge, `${describeImport(edge)}: module ${source.module} imports ${edge.to} of context ${targetFolder}; modules never import contexts`, source.module, targetFolder),
        );
      }
    }
    return out;
  },
};

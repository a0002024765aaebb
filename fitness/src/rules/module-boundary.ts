import { describeImport, edgeViolation, edgesFor, placeOf } from './helpers.js';
import type { Rule, Violation } from './types.js';

/** Outside a module, only its public entries may be imported, in every import form. */
export const moduleBoundary: Rule = {
  id: 'module-boundary',
  severity: 'error',
  why: "A module's internals change without notice; only its public entry is a contract.",
  fix: "Import from the module's public entry (its index.ts) instead; if what you need is not exported there, add it to the module's api/ and export it from index.ts.",
  check(ctx) {
    const out: Violation[] = [];
    const modules = new Map(ctx.config.modules.map((m) => [m.name, m]));
    for (const edge of edgesFor(ctx, moduleBoundary.id)) {
      if (!edge.to) continue;
      const target = ctx.graph.files.get(edge.to);
      const source = ctx.graph.files.get(edge.from);
      if (!target?.module || target.publicEntry || source?.module === target.module) continue;
      const entries = modules.get(target.module)?.publicEntries ?? [];
      out.push(
        edgeViolation(
          moduleBoundary,
          edge,
          `${describeImport(edge)} reaches ${edge.to}, an internal file of module ${target.module}; from ${placeOf(source, edge.from)} only ${entries.join(' or ')} may be imported`,
          source?.module ?? source?.context ?? edge.from,
          target.module,
        ),
      );
    }
    return out;
  },
};

import { describeImport, edgeViolation, edgesFor } from './helpers.js';
import type { Rule, Violation } from './types.js';

/** A module may import another module only where the map declares the dependency. */
export const noUndeclaredModuleDependency: Rule = {
  id: 'no-undeclared-module-dependency',
  severity: 'error',
  why: 'Every cross-module dependency is a design decision; undeclared ones erode the module map silently.',
  fix: 'Remove the import (publish an event or move the code), or, if the dependency is intended, add it to `dependencies` in archfit.config.ts with a reviewer who owns the map.',
  check(ctx) {
    const out: Violation[] = [];
    const allowed = new Map(ctx.config.modules.map((m) => [m.name, new Set(m.allowedDependencies)]));
    for (const edge of edgesFor(ctx, noUndeclaredModuleDependency.id)) {
      if (!edge.to) continue;
      const from = ctx.graph.files.get(edge.from)?.module;
      const to = ctx.graph.files.get(edge.to)?.module;
      if (!from || !to || from === to || allowed.get(from)?.has(to)) continue;
      const declared = [...(allowed.get(from) ?? [])];
      out.push(
        edgeViolation(
          noUndeclaredModuleDependency,
          edge,
          `${describeImport(edge)}: module ${from} depends on module ${to}, which the map does not allow (${from} may depend on: ${declared.length ? declared.join(', ') : 'no module'})`,
          from,
          to,
        ),
      );
    }
    return out;
  },
};

import { describeImport, edgeViolation, edgesFor } from './helpers.js';
import type { Rule, Violation } from './types.js';

/**
 * A module may import another module only where the map declares the dependency. The shared
 * kernel may import no module at all: it is what every module may depend on, so an import
 * back into a module would make every module depend on that one (and hide cycles).
 */
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
      const source = ctx.graph.files.get(edge.from);
      const from = source?.module;
      const to = ctx.graph.files.get(edge.to)?.module;
      if (!from && source?.shared && to) {
        out.push(
          edgeViolation(
            noUndeclaredModuleDependency,
            edge,
            `${describeImport(edge)}: the shared kernel depends on module ${to}; the kernel may depend on no module`,
            'shared kernel',
            to,
          ),
        );
        continue;
      }
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

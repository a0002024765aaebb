import { describeImport, edgeViolation, edgesFor, placeOf } from './helpers.js';
import type { Rule, Violation } from './types.js';

/** Files a boundary rule would have to read to check an edge. */
const CODE = /\.(?:[cm]?[jt]sx?)$/;

/**
 * Fail closed: an import no rule can follow is a finding, not a silent pass. Three kinds:
 * - a relative, alias-shaped or workspace specifier TypeScript cannot resolve with the
 *   file's governing tsconfig and module format (bare npm-shaped names that do not resolve
 *   are counted in the summary, not reported: an uninstalled dependency is not a boundary);
 * - an import from module, context or shared-kernel code that resolves to a source file
 *   outside `include` (or excluded): the rules never see what it imports;
 * - a tsconfig whose options cannot be trusted (a missing `extends` target, broken JSON).
 */
export const unresolvedImport: Rule = {
  id: 'unresolved-import',
  severity: 'error',
  why: 'An import archfit cannot resolve is an edge no rule checks: a boundary violation behind it would pass silently.',
  fix: 'Make it resolve as TypeScript does (fix the path or extension, the tsconfig `paths`, `extends` or `references`, the package `exports`), or widen `include` so the imported file is scanned. `archfit graph --level file --format json` shows how each import resolved.',
  check(ctx) {
    const out: Violation[] = [];
    for (const edge of edgesFor(ctx, unresolvedImport.id)) {
      const source = ctx.graph.files.get(edge.from);
      if (edge.resolution === 'unresolved' && edge.unresolvedAs !== 'package') {
        const res = ctx.graph.resolution.get(edge.from);
        const how = `${res?.tsconfig ? `with ${res.tsconfig}` : 'with no tsconfig'}${edge.mode ? ` in ${edge.mode === 'require' ? 'CommonJS' : 'ESM'} mode` : ''}`;
        out.push(
          edgeViolation(
            unresolvedImport,
            edge,
            `${describeImport(edge)}: TypeScript cannot resolve this ${edge.unresolvedAs ?? 'relative'} specifier ${how}, so no rule can check where it leads` +
              (edge.missingTypes ? ` (the tsconfig names type packages that are not installed, whose declarations may cover it: ${edge.missingTypes.join(', ')}; install the dependencies)` : ''),
            source?.module ?? source?.context ?? edge.from,
            edge.specifier,
          ),
        );
      } else if (edge.to && edge.via !== 'asset' && CODE.test(edge.to) && !ctx.graph.files.has(edge.to) && (source?.module || source?.context || source?.shared)) {
        out.push(
          edgeViolation(
            unresolvedImport,
            edge,
            `${describeImport(edge)} from ${placeOf(source, edge.from)} reaches ${edge.to}, which is outside \`include\` (or excluded), so no rule can check it`,
            source.module ?? source.context ?? edge.from,
            edge.to,
          ),
        );
      }
    }
    if (!ctx.focus) {
      for (const p of ctx.graph.tsconfigProblems) {
        out.push({
          rule: unresolvedImport.id,
          severity: unresolvedImport.severity,
          file: p.file,
          line: 1,
          column: 1,
          message: `${p.file} cannot be used as written (${p.message}); imports of the files it governs may resolve differently from the build`,
          why: unresolvedImport.why,
          fix: unresolvedImport.fix,
        });
      }
    }
    return out;
  },
};

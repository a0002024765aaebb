import { adrValid } from './adr-valid.js';
import { contextIsolation } from './context-isolation.js';
import { dataOwnership } from './data-ownership.js';
import { layerDirection } from './layer-direction.js';
import { moduleBoundary } from './module-boundary.js';
import { noModuleCycle } from './no-module-cycle.js';
import { noUndeclaredModuleDependency } from './no-undeclared-module-dependency.js';
import { publicApiLeak } from './public-api-leak.js';
import { revisitRequired } from './revisit-required.js';
import { routeDeclaresAuth } from './route-declares-auth.js';
import type { Rule } from './types.js';
import { unresolvedImport } from './unresolved-import.js';

/**
 * Every rule archfit runs, in report order. To add a rule: write `src/rules/<id>.ts` exporting a
 * `Rule`, import it here and add it to the list (one line each).
 *
 * Every registered rule needs a firing fixture, found by convention: a folder named after the
 * rule id under any `fitness/test/** /fixtures/` (e.g. `fitness/test/fixtures/<id>/` or
 * `fitness/test/adr/fixtures/<id>/`) holding an archfit config and `expected-violations.json`
 * (`[{ rule, file, line, column }]`). `fitness/test/rules/fixtures.test.ts` fails for a rule
 * without one.
 */
export const rules: readonly Rule[] = [
  moduleBoundary,
  noUndeclaredModuleDependency,
  publicApiLeak,
  layerDirection,
  contextIsolation,
  noModuleCycle,
  unresolvedImport,
  routeDeclaresAuth,
  dataOwnership,
  adrValid,
  revisitRequired,
];

export function findRule(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}

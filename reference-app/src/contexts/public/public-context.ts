import type { FastifyPluginAsync } from 'fastify';
import { registerContextRoutes } from '../../shared/auth/context-routes.js';
import { markAuthScope } from '../../shared/auth/route-declarations.js';
import type { AppModule } from '../../shared/module.js';
import { registerDocs } from './docs.js';
import { registerFeatureRoutes } from './features-routes.js';
import { registerOpsRoutes, type ReadinessProbe } from './ops-routes.js';

export interface PublicContextDeps {
  modules: readonly AppModule[];
  /** Resolves when the app can serve (database reachable); rejects otherwise. */
  readiness: ReadinessProbe;
  /** Serve swagger-ui at /docs (the JSON document at /docs/json). */
  docs: boolean;
}

/**
 * The public context: no token, no request decorator. It hosts the modules' public routes
 * under /api/public and the operational routes (/health, /ready, /docs).
 */
export function createPublicContext(deps: PublicContextDeps): FastifyPluginAsync {
  return async function publicContext(scope) {
    markAuthScope(scope, 'public');
    await registerOpsRoutes(scope, deps.readiness);
    await registerFeatureRoutes(scope);
    if (deps.docs) await registerDocs(scope);
    await registerContextRoutes(scope, deps.modules, 'public');
  };
}

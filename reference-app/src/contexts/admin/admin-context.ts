import type { FastifyPluginAsync } from 'fastify';
import { createContextGuard } from '../../shared/auth/context-guard.js';
import { type ContextDeps, registerContextRoutes } from '../../shared/auth/context-routes.js';
import type { Principal } from '../../shared/auth/principal.js';
import { markAuthScope } from '../../shared/auth/route-declarations.js';
import { CONTEXT_PREFIX } from '../../shared/auth/contexts.js';
import { aiTaskRoutingView, servicesView } from './services-view.js';

/**
 * The admin context (operators: users and oversight). One encapsulated scope with its own token hook
 * and its own `request.admin` decorator; deliberately NOT wrapped in fastify-plugin, so
 * sibling contexts never see this hook or decorator.
 */
export function createAdminContext(deps: ContextDeps): FastifyPluginAsync {
  return async function adminContext(scope) {
    markAuthScope(scope, 'admin');
    scope.decorateRequest('admin', null as unknown as Principal);
    scope.addHook(
      'onRequest',
      createContextGuard('admin', deps, (request, principal) => {
        request.admin = principal;
      }),
    );
    await registerContextRoutes(scope, deps.modules, 'admin');
    await scope.register(servicesView, { prefix: CONTEXT_PREFIX.admin });
    await scope.register(aiTaskRoutingView, { prefix: CONTEXT_PREFIX.admin });
  };
}

import type { FastifyPluginAsync } from 'fastify';
import { createContextGuard } from '../../shared/auth/context-guard.js';
import { type ContextDeps, registerContextRoutes } from '../../shared/auth/context-routes.js';
import type { Principal } from '../../shared/auth/principal.js';
import { markAuthScope } from '../../shared/auth/route-declarations.js';

/**
 * The consumer context (people buying: browse, bid, check out). One encapsulated scope with its own token hook
 * and its own `request.consumer` decorator; deliberately NOT wrapped in fastify-plugin, so
 * sibling contexts never see this hook or decorator.
 */
export function createConsumerContext(deps: ContextDeps): FastifyPluginAsync {
  return async function consumerContext(scope) {
    markAuthScope(scope, 'consumer');
    scope.decorateRequest('consumer', null as unknown as Principal);
    scope.addHook(
      'onRequest',
      createContextGuard('consumer', deps, (request, principal) => {
        request.consumer = principal;
      }),
    );
    await registerContextRoutes(scope, deps.modules, 'consumer');
  };
}

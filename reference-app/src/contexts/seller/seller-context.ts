import type { FastifyPluginAsync } from 'fastify';
import { createContextGuard } from '../../shared/auth/context-guard.js';
import { type ContextDeps, registerContextRoutes } from '../../shared/auth/context-routes.js';
import type { Principal } from '../../shared/auth/principal.js';
import { markAuthScope } from '../../shared/auth/route-declarations.js';

/**
 * The seller context (people selling: listings, stock, accepting bids). One encapsulated scope with its own token hook
 * and its own `request.seller` decorator; deliberately NOT wrapped in fastify-plugin, so
 * sibling contexts never see this hook or decorator.
 */
export function createSellerContext(deps: ContextDeps): FastifyPluginAsync {
  return async function sellerContext(scope) {
    markAuthScope(scope, 'seller');
    scope.decorateRequest('seller', null as unknown as Principal);
    scope.addHook(
      'onRequest',
      createContextGuard('seller', deps, (request, principal) => {
        request.seller = principal;
      }),
    );
    await registerContextRoutes(scope, deps.modules, 'seller');
  };
}

import type { FastifyInstance } from 'fastify';
import type { AppModule, AuthContextName } from '../module.js';
import { CONTEXT_PREFIX } from './contexts.js';
import type { RevocationCheck } from './revocation.js';
import type { TokenService } from './tokens.js';

/** What a context plugin needs: the modules whose routes it hosts and, for login contexts, tokens. */
export interface ContextDeps {
  modules: readonly AppModule[];
  tokens: TokenService;
  revocation: RevocationCheck;
}

/**
 * Registers every module's route plugin for `context` inside the calling context's scope,
 * under that context's prefix. Each module plugin is its own child scope, so modules do not
 * see each other's decorators either.
 */
export async function registerContextRoutes(
  scope: FastifyInstance,
  modules: readonly AppModule[],
  context: AuthContextName,
): Promise<void> {
  for (const module of modules) {
    const routes = module.routes[context];
    if (routes) await scope.register(routes, { prefix: CONTEXT_PREFIX[context] });
  }
}

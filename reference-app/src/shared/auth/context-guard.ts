import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import type { LoginContext } from './contexts.js';
import type { Principal } from './principal.js';
import type { RevocationCheck } from './revocation.js';
import type { TokenService } from './tokens.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new UnauthenticatedError('missing bearer token (Authorization: Bearer <token>)');
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new UnauthenticatedError('Authorization header is not a bearer token');
  return match[1];
}

/**
 * The onRequest hook one login context installs in its own scope: verify the token, insist
 * it was issued for this context (403 otherwise: a valid seller token is not a consumer),
 * insist it carries the route's declared permission, check it was not revoked, then hand the principal to `attach`,
 * which sets the context's own request decorator.
 */
export function createContextGuard(
  context: LoginContext,
  { tokens, revocation }: { tokens: TokenService; revocation: RevocationCheck },
  attach: (request: FastifyRequest, principal: Principal) => void,
): onRequestHookHandler {
  return async function contextGuard(request) {
    const auth = request.routeOptions.config.auth;
    // No declared auth means no route matched (404 inside this scope): let the 404 handler answer.
    if (!auth) return;
    const claims = tokens.verify(bearerToken(request));
    if (claims.ctx !== context) {
      throw new ForbiddenError(`this route belongs to the ${context} context; the token is for ${claims.ctx}`);
    }
    if (!claims.perms.includes(auth.permission)) {
      throw new ForbiddenError(`the token lacks the permission ${auth.permission}`);
    }
    // Last, so forged and misplaced tokens cost no lookup: is the token's user still there, unrevoked?
    await revocation.assertCurrent(claims);
    attach(request, { userId: claims.sub, context, permissions: new Set(claims.perms) });
  };
}

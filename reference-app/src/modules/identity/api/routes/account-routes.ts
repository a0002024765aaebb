import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityHandlers } from '../handlers.js';
import { DeleteAccountBody } from '../schemas.js';

/**
 * The caller's own account, the same in the consumer and seller contexts: log out everywhere
 * (every token issued so far stops working) and delete the account. Both answer 204.
 */
export function accountRoutes(identity: IdentityHandlers, context: 'consumer' | 'seller'): FastifyPluginAsyncTypebox {
  const config = { auth: { context, permission: 'account:write' } };
  return async (app) => {
    app.post('/sessions/revocation', { config }, async (request, reply) => {
      await identity.revokeSessions(request[context].userId);
      return reply.status(204).send();
    });
    app.post('/account/deletion', { config, schema: { body: DeleteAccountBody } }, async (request, reply) => {
      await identity.deleteAccount({ userId: request[context].userId, password: request.body.password });
      return reply.status(204).send();
    });
  };
}

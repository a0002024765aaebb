import type { FastifyReply } from 'fastify';
import type { IdentityHandlers } from '../handlers.js';

/**
 * The caller's own account, the same in the consumer and seller contexts (whose route files
 * declare the routes with their auth inline): log out everywhere (every token issued so far
 * stops working) and delete the account (password again). Both answer 204.
 */
export function accountActions(identity: IdentityHandlers) {
  return {
    async revokeSessions(userId: string, reply: FastifyReply) {
      await identity.revokeSessions(userId);
      return reply.status(204).send();
    },
    async deleteAccount(userId: string, password: string, reply: FastifyReply) {
      await identity.deleteAccount({ userId, password });
      return reply.status(204).send();
    },
  };
}

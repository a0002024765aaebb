import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityHandlers } from '../handlers.js';
import { DeleteAccountBody, UserDto } from '../schemas.js';
import { toUserDto } from '../user-dto.js';
import { accountActions } from './account-actions.js';

export function consumerRoutes(identity: IdentityHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me',
      { config: { auth: { context: 'consumer', permission: 'profile:read' } }, schema: { response: { 200: UserDto } } },
      async (request) => toUserDto(await identity.getUser(request.consumer.userId)),
    );
    const account = accountActions(identity);
    app.post(
      '/sessions/revocation',
      { config: { auth: { context: 'consumer', permission: 'account:write' } } },
      async (request, reply) => account.revokeSessions(request.consumer.userId, reply),
    );
    app.post(
      '/account/deletion',
      { config: { auth: { context: 'consumer', permission: 'account:write' } }, schema: { body: DeleteAccountBody } },
      async (request, reply) => account.deleteAccount(request.consumer.userId, request.body.password, reply),
    );
  };
}

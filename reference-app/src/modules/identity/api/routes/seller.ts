import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityHandlers } from '../handlers.js';
import { DeleteAccountBody, UserDto } from '../schemas.js';
import { toUserDto } from '../user-dto.js';
import { accountActions } from './account-actions.js';

export function sellerRoutes(identity: IdentityHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me',
      { config: { auth: { context: 'seller', permission: 'profile:read' } }, schema: { response: { 200: UserDto } } },
      async (request) => toUserDto(await identity.getUser(request.seller.userId)),
    );
    const account = accountActions(identity);
    app.post(
      '/sessions/revocation',
      { config: { auth: { context: 'seller', permission: 'account:write' } } },
      async (request, reply) => account.revokeSessions(request.seller.userId, reply),
    );
    app.post(
      '/account/deletion',
      { config: { auth: { context: 'seller', permission: 'account:write' } }, schema: { body: DeleteAccountBody } },
      async (request, reply) => account.deleteAccount(request.seller.userId, request.body.password, reply),
    );
  };
}

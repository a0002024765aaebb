import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityHandlers } from '../handlers.js';
import { UserDto } from '../schemas.js';
import { toUserDto } from '../user-dto.js';
import { accountRoutes } from './account-routes.js';

export function consumerRoutes(identity: IdentityHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me',
      { config: { auth: { context: 'consumer', permission: 'profile:read' } }, schema: { response: { 200: UserDto } } },
      async (request) => toUserDto(await identity.getUser(request.consumer.userId)),
    );
    await app.register(accountRoutes(identity, 'consumer'));
  };
}

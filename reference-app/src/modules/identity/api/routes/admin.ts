import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Paging } from '../../../../shared/http/schemas.js';
import type { IdentityHandlers } from '../handlers.js';
import { CreateUserBody, UserDto } from '../schemas.js';
import { toUserDto } from '../user-dto.js';

export function adminRoutes(identity: IdentityHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/users',
      {
        config: { auth: { context: 'admin', permission: 'users:read' } },
        schema: {
          querystring: Type.Object(Paging, { additionalProperties: false }),
          response: { 200: Type.Array(UserDto) },
        },
      },
      async (request) => {
        const users = await identity.listUsers({ limit: request.query.limit ?? 20, offset: request.query.offset ?? 0 });
        return users.map(toUserDto);
      },
    );
    // Admins create accounts with any roles, including other admins.
    app.post(
      '/users',
      {
        config: { auth: { context: 'admin', permission: 'users:write' } },
        schema: { body: CreateUserBody, response: { 201: UserDto } },
      },
      async (request, reply) => reply.status(201).send(toUserDto(await identity.registerUser(request.body))),
    );
  };
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Paging } from '../../../../shared/http/schemas.js';
import type { dailyActiveUsersHandler } from '../../application/daily-active-users.js';
import type { IdentityHandlers } from '../handlers.js';
import { CreateUserBody, UserDto } from '../schemas.js';
import { toUserDto } from '../user-dto.js';

export function adminRoutes(
  identity: IdentityHandlers,
  dailyActiveUsers: ReturnType<typeof dailyActiveUsersHandler>,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Observed DAU, in the file format archfit's sustained-dau trigger reads (docs/adr.md).
    app.get(
      '/activity/daily-active-users',
      {
        config: { auth: { context: 'admin', permission: 'users:read' } },
        schema: {
          querystring: Type.Object(
            {
              days: Type.Optional(Type.Integer({ minimum: 1, maximum: 400 })),
              through: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => dailyActiveUsers({ days: request.query.days ?? 30, through: request.query.through }),
    );
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

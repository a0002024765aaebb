import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityHandlers } from '../handlers.js';
import { createLoginThrottle, type LoginLimits } from '../login-throttle.js';
import { LoginBody, SessionResponse, SignUpBody, UserDto } from '../schemas.js';
import { toUserDto } from '../user-dto.js';

const PUBLIC = { auth: { context: 'public', permission: 'public' } } as const;

export function publicRoutes(identity: IdentityHandlers, limits: LoginLimits): FastifyPluginAsyncTypebox {
  return async (app) => {
    const throttle = await createLoginThrottle(app, limits);
    // Log in to ONE context: the token works there and is a 403 everywhere else.
    app.post(
      '/sessions',
      { config: PUBLIC, schema: { body: LoginBody, response: { 201: SessionResponse } }, preHandler: throttle.login },
      async (request, reply) => {
        const session = await identity.logIn(request.body);
        return reply.status(201).send({
          token: session.token,
          tokenType: 'Bearer' as const,
          context: session.context,
          userId: session.userId,
          expiresAt: session.expiresAt.toISOString(),
        });
      },
    );
    // Self-service sign-up as consumer and/or seller (admins are made by admins).
    app.post(
      '/users',
      { config: PUBLIC, schema: { body: SignUpBody, response: { 201: UserDto } }, preHandler: throttle.signUp },
      async (request, reply) => {
        const user = await identity.registerUser({ ...request.body, roles: request.body.roles ?? ['consumer'] });
        return reply.status(201).send(toUserDto(user));
      },
    );
  };
}

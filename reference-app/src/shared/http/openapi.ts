import type { FastifySchema, RouteOptions } from 'fastify';

interface TransformInput {
  schema: FastifySchema;
  url: string;
  route: RouteOptions;
}

/**
 * @fastify/swagger transform: tags every operation with its auth context and, for the login
 * contexts, documents the bearer token and the permission it must carry. The document then
 * tells a client exactly which token each route takes.
 */
export function describeRouteForOpenApi({ schema, url, route }: TransformInput): {
  schema: FastifySchema;
  url: string;
} {
  const auth = route.config?.auth;
  if (!auth || !schema) return { schema, url };
  const described: Record<string, unknown> = {
    ...schema,
    tags: [auth.context, ...((schema as { tags?: string[] }).tags ?? [])],
  };
  if (auth.context !== 'public') {
    described.security = [{ bearer: [] }];
    described.description = `Needs a ${auth.context} token with the permission \`${auth.permission}\`.`;
  }
  described['x-auth'] = { context: auth.context, permission: auth.permission };
  return { schema: described as FastifySchema, url };
}

import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';

const FeatureList = Type.Object({
  features: Type.Array(
    Type.Object({
      feature: Type.String(),
      label: Type.String(),
      service: Type.String(),
      state: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down')]),
      reason: Type.String(),
    }),
  ),
});

/**
 * `GET /api/public/features`: which features are up, degraded or down, from the service
 * catalog's health (the API form of a "receipt scanning is unavailable" banner). No token: a
 * client decides whether to show the Scan button before anybody signs in. It reads the probe
 * loop's verdict, so it changes within the declared health cadence and costs no call.
 */
export async function registerFeatureRoutes(scope: FastifyInstance): Promise<void> {
  scope.get(
    '/api/public/features',
    {
      config: { auth: { context: 'public', permission: 'public' } },
      schema: { tags: ['ops'], response: { 200: FeatureList } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { features: scope.serviceCatalog.features() };
    },
  );
}

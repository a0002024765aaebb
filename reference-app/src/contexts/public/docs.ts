import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * swagger-ui at /docs, the OpenAPI document at /docs/json. The plugin's own routes carry no
 * `config.auth`, so this scope declares them public as they register; the start-up check
 * then sees a complete declaration like any other route.
 */
export async function registerDocs(scope: FastifyInstance): Promise<void> {
  await scope.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: { context: 'public', permission: 'public' } };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
}

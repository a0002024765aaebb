import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/**
 * The admin view of the catalog: every declared service, whether it is active in this
 * configuration, its health state, probe history and state transitions, its circuit, and
 * (for services declaring `logs.pull`) its recent log records. Nothing here is per-service
 * code: a new block in services.ts shows up on its own. `app.serviceCatalog` is the root
 * decoration app.ts adds (typed in shared/services/catalog.ts).
 */
export const servicesView: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/services',
    {
      config: { auth: { context: 'admin', permission: 'services:read' } },
      schema: {
        querystring: Type.Object({
          logs: Type.Boolean({ default: true, description: 'Pull recent logs from services that offer them' }),
          logLimit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
      },
    },
    async (request) => ({
      services: await app.serviceCatalog.overview({ logs: request.query.logs, logLimit: request.query.logLimit }),
    }),
  );
};

/**
 * The AI task routing view: which service runs each AI task, that service's health and
 * circuit, and the task's recent call latency (last 100 successful calls through the typed
 * client). In-process modes leave the service inactive and the latency empty.
 */
export const aiTaskRoutingView: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/services/ai-tasks',
    { config: { auth: { context: 'admin', permission: 'services:read' } } },
    async () => ({ services: app.serviceCatalog.aiTaskRouting() }),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../../../shared/errors.js';
import type { NotificationStore } from '../../application/ports.js';
import { ListQuery, NotificationDto, NotificationParams, toNotificationDto } from '../schemas.js';

/** The signed-in consumer's own notifications. */
export function consumerRoutes(store: NotificationStore): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/notifications',
      {
        config: { auth: { context: 'consumer', permission: 'notifications:read' } },
        schema: { querystring: ListQuery, response: { 200: Type.Array(NotificationDto) } },
      },
      async (request) => {
        const page = { limit: request.query.limit ?? 20, offset: request.query.offset ?? 0 };
        return (await store.listFor(request.consumer.userId, page)).map(toNotificationDto);
      },
    );
    app.post(
      '/notifications/:id/read',
      {
        config: { auth: { context: 'consumer', permission: 'notifications:read' } },
        schema: { params: NotificationParams },
      },
      async (request, reply) => {
        // Someone else's notification is "not found", never "forbidden": ids are not confirmed to exist.
        if (!(await store.markRead(request.consumer.userId, request.params.id))) throw new NotFoundError('no such notification');
        return reply.status(204).send();
      },
    );
  };
}

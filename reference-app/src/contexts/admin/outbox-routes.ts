import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { PostgresEventBus } from '../../shared/events/index.js';

const PublicationId = Type.String({ pattern: '^[0-9]{1,18}$', maxLength: 18 });
const Consumer = Type.String({ minLength: 1, maxLength: 200 });

const PublicationDto = Type.Object({
  id: PublicationId,
  consumer: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  eventVersion: Type.Integer(),
  key: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  availableAt: Type.String(),
  claimedUntil: Type.Union([Type.String(), Type.Null()]),
  deadAt: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
});

const ConsumerSummaryDto = Type.Object({
  consumer: Type.String(),
  pending: Type.Integer(),
  failed: Type.Integer(),
  dead: Type.Integer(),
  oldestPendingSeconds: Type.Union([Type.Number(), Type.Null()]),
});

/**
 * Operators' view of the outbox, in the admin context: what each consumer has pending,
 * failing or dead-lettered, and a resubmit for a dead-lettered publication once its cause
 * is fixed. Reading needs `events:read`; resubmitting needs `events:write`.
 */
export function outboxAdminRoutes(bus: PostgresEventBus): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/events/consumers',
      {
        config: { auth: { context: 'admin', permission: 'events:read' } },
        schema: { response: { 200: Type.Array(ConsumerSummaryDto) } },
      },
      async () => bus.publications.summary(),
    );
    app.get(
      '/events/publications',
      {
        config: { auth: { context: 'admin', permission: 'events:read' } },
        schema: {
          querystring: Type.Object(
            {
              state: Type.Union([Type.Literal('pending'), Type.Literal('failed'), Type.Literal('dead')], { default: 'dead' }),
              consumer: Type.Optional(Consumer),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
              after: Type.Optional(PublicationId),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Array(PublicationDto) },
        },
      },
      async (request) =>
        bus.publications.list({
          state: request.query.state ?? 'dead',
          ...(request.query.consumer ? { consumer: request.query.consumer } : {}),
          limit: request.query.limit ?? 50,
          ...(request.query.after ? { afterId: request.query.after } : {}),
        }),
    );
    app.get(
      '/events/publications/:id',
      {
        config: { auth: { context: 'admin', permission: 'events:read' } },
        schema: {
          params: Type.Object({ id: PublicationId }, { additionalProperties: false }),
          response: { 200: PublicationDto },
        },
      },
      async (request) => {
        const publication = await bus.publications.get(request.params.id);
        if (!publication) throw new NotFoundError(`no publication ${request.params.id}`);
        return publication;
      },
    );
    app.post(
      '/events/publications/:id/resubmit',
      {
        config: { auth: { context: 'admin', permission: 'events:write' } },
        schema: {
          params: Type.Object({ id: PublicationId }, { additionalProperties: false }),
          response: { 202: Type.Object({ id: PublicationId, status: Type.Literal('pending') }) },
        },
      },
      async (request, reply) => {
        const outcome = await bus.publications.resubmit(request.params.id);
        if (outcome === 'not-found') throw new NotFoundError(`no publication ${request.params.id}`);
        if (outcome === 'not-dead') {
          throw new ConflictError(`publication ${request.params.id} is not dead-lettered; only dead-lettered ones can be resubmitted`);
        }
        return reply.status(202).send({ id: request.params.id, status: 'pending' as const });
      },
    );
  };
}

import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { serviceGate } from '../../../../shared/services/index.js';
import { replyToComputeError } from '../reply-errors.js';
import type { AssistantRouteDeps } from '../route-deps.js';

const auth = { context: 'seller', permission: 'assistant:use' } as const;

const SearchRequest = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 4000 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);

const SearchResponse = Type.Object({
  results: Type.Array(Type.Object({ listingId: Type.String(), title: Type.String(), score: Type.Number() })),
});

/** The seller's assistant: find which of my listings resemble a text (duplicates, related items). */
export function sellerRoutes(deps: AssistantRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const gated = deps.config.mode === 'service' ? { onRequest: serviceGate(deps.services, 'models') } : {};
    app.post(
      '/assistant/listings/search',
      { config: { auth }, ...gated, schema: { body: SearchRequest, response: { 200: SearchResponse } } },
      async (request, reply) => {
        try {
          const results = await deps.search(request.seller.userId, request.body.query, request.body.limit ?? 10);
          return { results };
        } catch (error) {
          return replyToComputeError(reply, error);
        }
      },
    );
  };
}

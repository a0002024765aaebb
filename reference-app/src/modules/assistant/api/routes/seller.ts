import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { serviceGate } from '../../../../shared/services/index.js';
import { listingFromReceipt } from '../../application/listing-from-receipt.js';
import { inspectImage } from '../../infrastructure/image-guard.js';
import { IMAGE_BODY_LIMIT, imageBytes, replyToRejectedImage } from '../image-intake.js';
import { replyToComputeError } from '../reply-errors.js';
import type { AssistantRouteDeps } from '../route-deps.js';
import { ListingFromReceiptRequest, ListingFromReceiptResponse } from '../schemas.js';

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

/**
 * The seller's assistant: find which of my listings resemble a text (duplicates, related
 * items), and list what a purchase receipt shows as a fixed-price listing.
 */
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

    app.post(
      '/assistant/receipts/listings',
      {
        config: { auth: { context: 'seller', permission: 'listings:write' } },
        ...gated,
        bodyLimit: IMAGE_BODY_LIMIT,
        schema: { body: ListingFromReceiptRequest, response: { 201: ListingFromReceiptResponse } },
      },
      async (request, reply) => {
        const { image: encoded, ...overrides } = request.body;
        let image: Buffer;
        try {
          image = imageBytes({ image: encoded });
          await inspectImage(image);
        } catch (error) {
          const answered = replyToRejectedImage(reply, error);
          if (answered) return answered;
          throw error;
        }
        let scan;
        try {
          scan = await deps.assistant.scanReceipt(image);
        } catch (error) {
          return replyToComputeError(reply, error);
        }
        const listing = await deps.listings.create(listingFromReceipt(scan, request.seller.userId, overrides));
        return reply.code(201).send({ listing, scan });
      },
    );
  };
}

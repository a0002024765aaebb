import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toBidDto } from '../bid-dto.js';
import type { BiddingHandlers } from '../handlers.js';
import { IdempotencyHeaders } from '../../../../shared/http/schemas.js';
import { BidList, ListingIdParams, PageQuery, PlaceBidBody, PlacedBidDto } from '../schemas.js';

export function consumerRoutes(bidding: BiddingHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/listings/:listingId/bids',
      {
        config: { auth: { context: 'consumer', permission: 'bids:write' } },
        schema: { params: ListingIdParams, body: PlaceBidBody, headers: IdempotencyHeaders, response: { 201: PlacedBidDto } },
      },
      async (request, reply) => {
        const placed = await bidding.placeBid({
          listingId: request.params.listingId,
          bidderId: request.consumer.userId,
          amountCents: request.body.amountCents,
          idempotencyKey: request.headers['idempotency-key'],
        });
        return reply.status(201).send({ bid: toBidDto(placed.bid), overtookBidId: placed.overtaken?.bidId ?? null });
      },
    );
    app.get(
      '/bids',
      {
        config: { auth: { context: 'consumer', permission: 'bids:read' } },
        schema: { querystring: PageQuery, response: { 200: BidList } },
      },
      async (request) => {
        const { limit = 20, offset = 0 } = request.query;
        return (await bidding.myBids(request.consumer.userId, { limit, offset })).map(toBidDto);
      },
    );
  };
}

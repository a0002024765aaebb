import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toBidDto } from '../bid-dto.js';
import type { BiddingHandlers } from '../handlers.js';
import { BidList, ListingIdParams, PageQuery } from '../schemas.js';

export function sellerRoutes(bidding: BiddingHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Bids on one of the seller's own listings, highest first (the one to accept is on top).
    app.get(
      '/listings/:listingId/bids',
      {
        config: { auth: { context: 'seller', permission: 'bids:read' } },
        schema: { params: ListingIdParams, querystring: PageQuery, response: { 200: BidList } },
      },
      async (request) => {
        const { limit = 20, offset = 0 } = request.query;
        const bids = await bidding.bidsOnMyListing(request.seller.userId, request.params.listingId, { limit, offset });
        return bids.map(toBidDto);
      },
    );
  };
}

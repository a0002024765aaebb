import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { BiddingHandlers } from '../handlers.js';
import { AuctionDto, ListingIdParams } from '../schemas.js';

export function publicRoutes(bidding: BiddingHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The current price and bid count of an auction listing.
    app.get(
      '/listings/:listingId/auction',
      {
        config: { auth: { context: 'public', permission: 'public' } },
        schema: { params: ListingIdParams, response: { 200: AuctionDto } },
      },
      async (request) => bidding.viewAuction(request.params.listingId),
    );
  };
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Paging } from '../../../../shared/http/schemas.js';
import type { CatalogHandlers } from '../handlers.js';
import { toListingDto } from '../listing-dto.js';
import { CreateListingBody, ListingDto, ListingIdParams, ListingList, RestockBody } from '../schemas.js';

export function sellerRoutes(catalog: CatalogHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/listings',
      {
        config: { auth: { context: 'seller', permission: 'listings:write' } },
        schema: { body: CreateListingBody, response: { 201: ListingDto } },
      },
      async (request, reply) => {
        const listing = await catalog.createListing({
          ...request.body,
          description: request.body.description ?? '',
          sellerId: request.seller.userId,
        });
        return reply.status(201).send(toListingDto(listing));
      },
    );
    app.get(
      '/listings',
      {
        config: { auth: { context: 'seller', permission: 'listings:read' } },
        schema: { querystring: Type.Object(Paging, { additionalProperties: false }), response: { 200: ListingList } },
      },
      async (request) => {
        const { limit = 20, offset = 0 } = request.query;
        const listings = await catalog.searchListings({
          sellerId: request.seller.userId,
          activeOnly: false,
          limit,
          offset,
        });
        return listings.map(toListingDto);
      },
    );
    app.post(
      '/listings/:listingId/stock',
      {
        config: { auth: { context: 'seller', permission: 'listings:write' } },
        schema: { params: ListingIdParams, body: RestockBody, response: { 200: ListingDto } },
      },
      async (request) => {
        const listing = await catalog.restock({
          listingId: request.params.listingId,
          sellerId: request.seller.userId,
          quantity: request.body.quantity,
        });
        return toListingDto(listing);
      },
    );
  };
}

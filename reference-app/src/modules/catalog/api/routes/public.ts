import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CatalogHandlers } from '../handlers.js';
import { toListingDto } from '../listing-dto.js';
import { BrowseQuery, ListingDto, ListingIdParams, ListingList } from '../schemas.js';

const PUBLIC = { auth: { context: 'public', permission: 'public' } } as const;

export function publicRoutes(catalog: CatalogHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Browse and search what is on sale; anonymous, so it is the hottest read path.
    app.get(
      '/listings',
      { config: PUBLIC, schema: { querystring: BrowseQuery, response: { 200: ListingList } } },
      async (request) => {
        const { q, kind, sellerId, limit = 20, offset = 0 } = request.query;
        const listings = await catalog.searchListings({ text: q, kind, sellerId, activeOnly: true, limit, offset });
        return listings.map(toListingDto);
      },
    );
    app.get(
      '/listings/:listingId',
      { config: PUBLIC, schema: { params: ListingIdParams, response: { 200: ListingDto } } },
      async (request) => toListingDto(await catalog.getListing(request.params.listingId)),
    );
  };
}

import { fileURLToPath } from 'node:url';
import type { AppModule, ModuleDeps } from '../../../shared/module.js';
import { traced } from '../../../shared/tracing.js';
import { createListingHandler, restockHandler, takeStockHandler } from '../application/commands.js';
import { getListingHandler, searchListingsHandler } from '../application/queries.js';
import { createPgListingRepository } from '../infrastructure/pg-listing-repository.js';
import type { CatalogHandlers } from './handlers.js';
import type { ListingCatalog } from './public-types.js';
import { publicRoutes } from './routes/public.js';
import { sellerRoutes } from './routes/seller.js';

export interface CatalogModule extends AppModule {
  /** The public service handed to bidding, orders and assistant. */
  listings: ListingCatalog;
}

/** Composition root of catalog: sellers' listings, browsing and search, stock. */
export function createCatalogModule(deps: ModuleDeps): CatalogModule {
  const repository = createPgListingRepository(deps.pool);
  const handlers: CatalogHandlers = {
    createListing: traced('catalog', 'CreateListing', createListingHandler(repository)),
    restock: traced('catalog', 'Restock', restockHandler(repository)),
    takeStock: traced('catalog', 'TakeStock', takeStockHandler(repository)),
    getListing: traced('catalog', 'GetListing', getListingHandler(repository)),
    searchListings: traced('catalog', 'SearchListings', searchListingsHandler(repository)),
  };
  return {
    name: 'catalog',
    migrationsDir: fileURLToPath(new URL('../infrastructure/migrations', import.meta.url)),
    routes: { public: publicRoutes(handlers), seller: sellerRoutes(handlers) },
    listings: {
      find: (listingId) => repository.findById(listingId),
      listBySeller: (sellerId, limit) => handlers.searchListings({ sellerId, activeOnly: false, limit, offset: 0 }),
      create: (listing) => handlers.createListing(listing),
      takeStock: (tx, command) => handlers.takeStock(tx, command),
    },
  };
}

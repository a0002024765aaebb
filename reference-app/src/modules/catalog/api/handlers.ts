import type { createListingHandler, restockHandler, takeStockHandler } from '../application/commands.js';
import type { getListingHandler, searchListingsHandler } from '../application/queries.js';

/** catalog's use cases, already wrapped in spans. */
export interface CatalogHandlers {
  createListing: ReturnType<typeof createListingHandler>;
  restock: ReturnType<typeof restockHandler>;
  takeStock: ReturnType<typeof takeStockHandler>;
  getListing: ReturnType<typeof getListingHandler>;
  searchListings: ReturnType<typeof searchListingsHandler>;
}

// catalog's public surface: its composition root and the service other modules may use.
export { createCatalogModule, type CatalogModule } from './api/module.js';
export type { ListingCatalog, ListingKind, ListingSnapshot, ListingStatus } from './api/public-types.js';

import type { ServiceCatalog, Services } from '../../../shared/services/index.js';
import type { AssistantService } from '../application/assistant-service.js';
import type { ListingWriter } from '../application/listing-from-receipt.js';
import type { ListingSearch } from '../application/search-listings.js';
import type { AssistantConfig } from './config.js';

/** What the assistant's route plugins need, for every context (contexts never import each other's route files). */
export interface AssistantRouteDeps {
  assistant: AssistantService;
  search: ListingSearch;
  config: AssistantConfig;
  services: ServiceCatalog<Services>;
  /** catalog's public service: a fixed-price listing from a scanned receipt. */
  listings: ListingWriter;
}

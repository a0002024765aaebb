import { fileURLToPath } from 'node:url';
import type { ServiceCatalog, Services } from '../../../shared/services/index.js';
import type { AppModule, ModuleDeps } from '../../../shared/module.js';
import type { ListingCatalog } from '../../catalog/index.js';
import { createAssistantService } from '../application/assistant-service.js';
import { createListingSearch } from '../application/search-listings.js';
import type { AssistantExecutor } from '../application/ports.js';
import { createInlineExecutor } from '../infrastructure/inline-executor.js';
import { createPoolExecutor } from '../infrastructure/pool-executor.js';
import { createServiceExecutor } from '../infrastructure/service-executor.js';
import type { AssistantConfig } from './config.js';
import { consumerRoutes } from './routes/consumer.js';
import { sellerRoutes } from './routes/seller.js';

export type AssistantDeps = ModuleDeps & {
  /** The shared service catalog; used only in `service` mode. */
  services: ServiceCatalog<Services>;
  config: AssistantConfig;
  /** catalog's public service (assistant -> catalog is a declared dependency): the seller's own listings, and new ones from receipts. */
  listings: Pick<ListingCatalog, 'listBySeller' | 'create'>;
};

function executorFor(deps: AssistantDeps): AssistantExecutor {
  switch (deps.config.mode) {
    case 'inline':
      return createInlineExecutor();
    case 'pool':
      return createPoolExecutor({ threads: deps.config.poolThreads });
    case 'service':
      return createServiceExecutor(deps.services);
  }
}

/**
 * Composition root of the assistant: picks the executor for the configured mode and hands the
 * consumer and seller routes to their contexts. The assistant keeps no tables of its own (yet), so its
 * migrations folder is empty.
 */
export function createAssistantModule(deps: AssistantDeps): AppModule {
  const executor = executorFor(deps);
  const assistant = createAssistantService(executor, deps.config.cost);
  const search = createListingSearch(assistant, deps.listings);
  const routeDeps = { assistant, search, config: deps.config, services: deps.services, listings: deps.listings };
  deps.logger.info({ mode: deps.config.mode, cost: deps.config.cost }, 'assistant execution mode');
  return {
    name: 'assistant',
    migrationsDir: fileURLToPath(new URL('../infrastructure/migrations', import.meta.url)),
    routes: {
      consumer: consumerRoutes(routeDeps),
      seller: sellerRoutes(routeDeps),
    },
    stop: () => executor.close(),
  };
}

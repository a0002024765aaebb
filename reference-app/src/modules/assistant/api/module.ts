import { fileURLToPath } from 'node:url';
import type { ServiceCatalog, Services } from '../../../shared/services/index.js';
import type { AppModule, ModuleDeps } from '../../../shared/module.js';
import { createAssistantService } from '../application/assistant-service.js';
import type { AssistantExecutor } from '../application/ports.js';
import { createInlineExecutor } from '../infrastructure/inline-executor.js';
import { createPoolExecutor } from '../infrastructure/pool-executor.js';
import { createServiceExecutor } from '../infrastructure/service-executor.js';
import type { AssistantConfig } from './config.js';
import { consumerRoutes } from './routes/consumer.js';

export type AssistantDeps = ModuleDeps & {
  /** The shared service catalog; used only in `service` mode. */
  services: ServiceCatalog<Services>;
  config: AssistantConfig;
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
 * consumer routes to their context. The assistant keeps no tables of its own (yet), so its
 * migrations folder is empty.
 */
export function createAssistantModule(deps: AssistantDeps): AppModule {
  const executor = executorFor(deps);
  const assistant = createAssistantService(executor, deps.config.cost);
  deps.logger.info({ mode: deps.config.mode, cost: deps.config.cost }, 'assistant execution mode');
  return {
    name: 'assistant',
    migrationsDir: fileURLToPath(new URL('../infrastructure/migrations', import.meta.url)),
    routes: { consumer: consumerRoutes({ assistant, config: deps.config, services: deps.services }) },
    stop: () => executor.close(),
  };
}

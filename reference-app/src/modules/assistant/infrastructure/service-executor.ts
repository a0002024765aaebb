import type { ServiceCatalog, Services } from '../../../shared/services/index.js';
import type { AssistantExecutor } from '../application/ports.js';

/**
 * Runs the compute in the models service, through the typed catalog client. The gate comes
 * first: while the service is down (or its circuit is open) this throws
 * ServiceUnavailableError at once instead of waiting for a socket or a timeout.
 */
export function createServiceExecutor(services: ServiceCatalog<Services>): AssistantExecutor {
  const models = services.client('models');
  return {
    mode: 'service',
    async embed(body) {
      services.assertAvailable('models');
      return models.call('embed', body);
    },
    async scanReceipt(image) {
      services.assertAvailable('models');
      return models.call('scanReceipt', { image: image.toString('base64') });
    },
    close: async () => {},
  };
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  EmbedResponse,
  ExtractResponse,
  serviceGate,
} from '../../../../shared/services/index.js';
import { replyToComputeError } from '../reply-errors.js';
import type { AssistantRouteDeps } from '../route-deps.js';
import { AssistantStatus, EmbedRequest, ScanReceiptRequest } from '../schemas.js';

const auth = { context: 'consumer', permission: 'assistant:use' } as const;

/**
 * The consumer's assistant: embeddings for listing search and receipt scanning. In `service`
 * mode the compute routes are gated on the models service: 503 + Retry-After while it is down.
 */
export function consumerRoutes({ assistant, config, services }: AssistantRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const gated = config.mode === 'service' ? { onRequest: serviceGate(services, 'models') } : {};

    app.get('/assistant/status', { config: { auth }, schema: { response: { 200: AssistantStatus } } }, async () => ({
      mode: config.mode,
      cost: config.cost,
      service: config.mode === 'service' ? services.healthState('models') : null,
    }));

    app.post(
      '/assistant/embed',
      { config: { auth }, ...gated, schema: { body: EmbedRequest, response: { 200: EmbedResponse } } },
      async (request, reply) => {
        try {
          return await assistant.embed(request.body.texts, request.body.dimensions);
        } catch (error) {
          return replyToComputeError(reply, error);
        }
      },
    );

    app.post(
      '/assistant/receipts/scan',
      { config: { auth }, ...gated, schema: { body: ScanReceiptRequest, response: { 200: ExtractResponse } } },
      async (request, reply) => {
        try {
          return await assistant.scanReceipt(request.body.text);
        } catch (error) {
          return replyToComputeError(reply, error);
        }
      },
    );
  };
}

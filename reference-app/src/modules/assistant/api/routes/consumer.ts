import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmbedResponse, ScanReceiptResponse, serviceGate } from '../../../../shared/services/index.js';
import { inspectImage } from '../../infrastructure/image-guard.js';
import { acceptImageUploads, IMAGE_BODY_LIMIT, imageBytes, multipartToImageBody, replyToRejectedImage } from '../image-intake.js';
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
    await acceptImageUploads(app);

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
      {
        config: { auth },
        ...gated,
        bodyLimit: IMAGE_BODY_LIMIT,
        preValidation: multipartToImageBody,
        schema: { body: ScanReceiptRequest, response: { 200: ScanReceiptResponse } },
      },
      async (request, reply) => {
        let image: Buffer;
        try {
          image = imageBytes(request.body);
          await inspectImage(image);
        } catch (error) {
          const answered = replyToRejectedImage(reply, error);
          if (answered) return answered;
          throw error;
        }
        try {
          return await assistant.scanReceipt(image);
        } catch (error) {
          return replyToComputeError(reply, error);
        }
      },
    );
  };
}

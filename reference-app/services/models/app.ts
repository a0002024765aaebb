import { timingSafeEqual } from 'node:crypto';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  EmbedBody,
  EmbedResponse,
  MAX_IMAGE_BYTES,
  ScanReceiptBody,
  ScanReceiptResponse,
} from '../../src/shared/services/models-contract.js';
import {
  createReceiptScanner,
  EMBEDDING_MODEL,
  OCR_ENGINE,
  OcrBusyError,
  runEmbed,
  UnreadableImageError,
  type PreprocessOptions,
} from './engine/index.js';
import { LogBuffer } from './log-buffer.js';

export interface ModelsServiceOptions {
  /** The bearer token the monolith sends (its catalog reads it from MS_MODELS_TOKEN). */
  token: string;
  /** Log records kept for `GET /logs`. */
  logBufferSize?: number;
  /** Also print log records to stdout (the process entry does; tests don't). */
  echoLogs?: boolean;
  /** tesseract.js workers, all warmed before `/health` answers 200 (MODELS_OCR_WORKERS). */
  ocrWorkers: number;
  /** Image preparation before OCR (MODELS_OCR_PREPROCESS). */
  preprocess: PreprocessOptions;
  /** Set when the service has a credential for an AI gateway (MS_MODELS_AI_TOKEN); only reported, see ADR-0011. */
  aiGatewayConfigured?: boolean;
}

function problem(reply: FastifyReply, status: number, title: string, detail: string, extra: object = {}) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, detail, ...extra });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The models service: receipt OCR and the embedding kernel behind HTTP, in its own process. It follows
 * the catalog's conventions (bearer token, `/health`, `/logs`, problem+json), so the monolith
 * needs no code of its own to call, probe, gate or show it.
 */
export function buildModelsService(options: ModelsServiceOptions): FastifyInstance {
  if (options.token === '') throw new Error('models service: a non-empty token is required');
  const logs = new LogBuffer(options.logBufferSize ?? 200, options.echoLogs ? process.stdout : undefined);
  const startedAt = Date.now();
  const app = Fastify({ logger: { level: 'info', stream: logs.stream() } }).withTypeProvider<TypeBoxTypeProvider>();
  const scanner = createReceiptScanner({ workers: options.ocrWorkers, preprocess: options.preprocess });
  // Warm at start: the workers load the trained data now, and `/health` says 503 until they
  // have, so the monolith's probe never routes a scan to a cold engine.
  const warming = scanner.start().then(
    () => app.log.info({ workers: options.ocrWorkers, ms: Date.now() - startedAt }, 'models service warm'),
    (err: unknown) => app.log.error({ err }, 'OCR workers failed to start'),
  );
  app.addHook('onClose', async () => {
    await warming;
    await scanner.close();
  });

  // The caller's trace context is logged per request: the proof that traceparent crossed the hop
  // (an OpenTelemetry SDK in this process would continue the trace from the same header).
  app.addHook('onRequest', async (request) => {
    const traceparent = request.headers.traceparent;
    if (typeof traceparent === 'string') request.log.info({ traceparent }, 'trace context received');
  });

  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return problem(reply, 401, 'Unauthorized', 'Send "Authorization: Bearer <token>".');
    if (!sameToken(match[1]!, options.token)) {
      return problem(reply, 403, 'Forbidden', 'This token may not call the models service.');
    }
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const errors = error.validation.map((v) => ({
        field: `${error.validationContext ?? 'body'}${v.instancePath || ''}`,
        message: v.message ?? 'is invalid',
      }));
      return problem(reply, 400, 'Bad Request', error.message, { errors });
    }
    if (error.statusCode && error.statusCode < 500) return problem(reply, error.statusCode, 'Bad Request', error.message);
    request.log.error({ err: error }, 'unhandled error');
    return problem(reply, 500, 'Internal Server Error', 'The models service failed to handle the request.');
  });
  app.setNotFoundHandler((request, reply) =>
    problem(reply, 404, 'Not Found', `No route ${request.method} ${request.url} on the models service.`),
  );

  app.get('/health', async (_request, reply) => {
    const body = {
      status: scanner.pool.warm ? 'ok' : 'warming',
      engine: OCR_ENGINE,
      embeddingModel: EMBEDDING_MODEL,
      ocrWorkers: scanner.pool.workers,
      ocrQueued: scanner.pool.queued(),
      aiGateway: options.aiGatewayConfigured ? 'configured' : 'absent',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    return reply.code(scanner.pool.warm ? 200 : 503).send(body);
  });

  app.get(
    '/logs',
    {
      onRequest: authenticate,
      schema: { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }) },
    },
    async (request) => ({ records: logs.recent(request.query.limit) }),
  );

  app.post(
    '/v1/embed',
    { onRequest: authenticate, schema: { body: EmbedBody, response: { 200: EmbedResponse } } },
    async (request) => runEmbed(request.body),
  );

  app.post(
    '/v1/receipts/scan',
    {
      onRequest: authenticate,
      // base64 of the largest accepted image plus the JSON around it.
      bodyLimit: Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 1024,
      schema: { body: ScanReceiptBody, response: { 200: ScanReceiptResponse } },
    },
    async (request, reply) => {
      const image = Buffer.from(request.body.image, 'base64');
      if (image.length > MAX_IMAGE_BYTES) {
        return problem(reply, 413, 'Payload Too Large', `the image is ${image.length} bytes; at most ${MAX_IMAGE_BYTES}`);
      }
      try {
        return await scanner.scan(image);
      } catch (error) {
        if (error instanceof UnreadableImageError) return problem(reply, 422, 'Unprocessable Content', error.message);
        if (error instanceof OcrBusyError) {
          reply.header('retry-after', String(error.retryAfterSeconds));
          return problem(reply, 503, 'Service Unavailable', error.message);
        }
        throw error;
      }
    },
  );

  return app;
}

import { timingSafeEqual } from 'node:crypto';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { assistantKernel } from '../../src/modules/assistant/index.js';
import { EmbedBody, EmbedResponse, ExtractBody, ExtractResponse } from '../../src/shared/services/index.js';
import { LogBuffer } from './log-buffer.js';

export interface ModelsServiceOptions {
  /** The bearer token the monolith sends (its catalog reads it from MS_MODELS_TOKEN). */
  token: string;
  /** Log records kept for `GET /logs`. */
  logBufferSize?: number;
  /** Also print log records to stdout (the process entry does; tests don't). */
  echoLogs?: boolean;
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
 * The models service: the assistant's compute behind HTTP, in its own process. It follows
 * the catalog's conventions (bearer token, `/health`, `/logs`, problem+json), so the monolith
 * needs no code of its own to call, probe, gate or show it.
 */
export function buildModelsService(options: ModelsServiceOptions): FastifyInstance {
  if (options.token === '') throw new Error('models service: a non-empty token is required');
  const logs = new LogBuffer(options.logBufferSize ?? 200, options.echoLogs ? process.stdout : undefined);
  const startedAt = Date.now();
  const app = Fastify({ logger: { level: 'info', stream: logs.stream() } }).withTypeProvider<TypeBoxTypeProvider>();

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

  app.get('/health', async () => ({
    status: 'ok',
    model: assistantKernel.model,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  }));

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
    async (request) => assistantKernel.embed(request.body),
  );

  app.post(
    '/v1/extract',
    { onRequest: authenticate, schema: { body: ExtractBody, response: { 200: ExtractResponse } } },
    async (request) => assistantKernel.extract(request.body),
  );

  return app;
}

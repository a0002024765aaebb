import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEmbed, runExtract } from '../../src/modules/assistant/domain/tasks.js';
import {
  createServiceCatalog,
  EmbedResponse,
  ExtractResponse,
  ServiceContractError,
  ServiceRejectedError,
  services,
  type ServiceCatalog,
  type Services,
} from '../../src/shared/services/index.js';
import { modelsWithCatalog, type ModelsProcess } from './support/models-process.js';

const RECEIPT = 'CITY FUEL STATION\n12/11/2026\nUnleaded 42.10 L  71.57\nCar wash  9.00\nTOTAL EUR 80.57\nVISA 80.57';

describe('typed client against the running models service (contract)', () => {
  let running: Awaited<ReturnType<typeof modelsWithCatalog>>;
  let models: ModelsProcess;
  let catalog: ServiceCatalog<Services>;

  beforeAll(async () => {
    running = await modelsWithCatalog();
    ({ models, catalog } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('embed answers the declared response schema with the kernel numbers', async () => {
    const body = { texts: ['steel road bike, 54 cm', 'oak dining table'], dimensions: 32, cost: 3 };
    const result = await catalog.client('models').call('embed', body);
    expect(Value.Check(EmbedResponse, result)).toBe(true);
    expect(result.vectors).toHaveLength(2);
    expect(result.vectors[0]).toHaveLength(32);
    expect(result).toEqual(runEmbed(body));
  });

  it('extract answers the declared response schema and reads the receipt', async () => {
    const result = await catalog.client('models').call('extract', { text: RECEIPT });
    expect(Value.Check(ExtractResponse, result)).toBe(true);
    expect(result).toMatchObject({ merchant: 'CITY FUEL STATION', date: '2026-11-12', currency: 'EUR', totalCents: 8057 });
    expect(result.lines).toEqual([
      { description: 'Unleaded 42.10 L', amountCents: 7157 },
      { description: 'Car wash', amountCents: 900 },
    ]);
    expect(result.category).toBe('fuel');
    expect(result).toEqual(runExtract({ text: RECEIPT }));
  });

  it('a body that breaks the declared schema is refused before it is sent', async () => {
    const bad = { texts: [], dimensions: 4 } as unknown as { texts: string[] };
    const error = await catalog.client('models').call('embed', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceContractError);
    expect((error as ServiceContractError).direction).toBe('request');
  });

  it('the service itself answers bad input with 400 problem+json naming the field', async () => {
    const res = await fetch(`${models.url}/v1/embed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${models.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['ok'], dimensions: 4 }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { status: number; errors: Array<{ field: string }> };
    expect(problem.status).toBe(400);
    expect(problem.errors[0]?.field).toContain('dimensions');
  });

  it('no token is 401, a wrong token is 403, and the client does not retry either', async () => {
    const noToken = await fetch(`${models.url}/v1/extract`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x' }),
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toContain('application/problem+json');

    const wrong = createServiceCatalog(services, {
      env: { MODELS_SERVICE_URL: models.url, MS_MODELS_TOKEN: 'not-the-token' },
      required: ['models'],
    });
    try {
      const error = await wrong.client('models').call('extract', { text: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceRejectedError);
      expect((error as ServiceRejectedError).status).toBe(403);
    } finally {
      await wrong.stop();
    }
  });

  it('propagates the caller trace as traceparent (the service logs it)', async () => {
    // What main.ts does with OTEL_ENABLED=1: a provider with the W3C propagator and async context.
    const provider = new NodeTracerProvider();
    provider.register();
    try {
      const tracer = trace.getTracer('contract-test');
      const traceparent = await tracer.startActiveSpan('call models', async (span) => {
        await catalog.client('models').call('embed', { texts: ['traced'] });
        span.end();
        return `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;
      });
      const [overview] = await catalog.overview({ logs: true, logLimit: 20 });
      expect(JSON.stringify(overview?.logs)).toContain(traceparent);
    } finally {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    }
  });
});

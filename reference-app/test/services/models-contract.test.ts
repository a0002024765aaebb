import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEmbed } from '../../services/models/engine/index.js';
import { generateReceipt } from '../../bench/ocr-receipts.js';
import {
  createServiceCatalog,
  EmbedResponse,
  ScanReceiptResponse,
  ServiceContractError,
  ServiceRejectedError,
  services,
  type ServiceCatalog,
  type Services,
} from '../../src/shared/services/index.js';
import { modelsWithCatalog, type ModelsProcess } from './support/models-process.js';


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

  it('scanReceipt reads a rendered receipt image and answers the declared schema with per-field confidence', async () => {
    const receipt = await generateReceipt(11, 2, { noise: false });
    const result = await catalog.client('models').call('scanReceipt', { image: receipt.image.toString('base64') });
    expect(Value.Check(ScanReceiptResponse, result)).toBe(true);
    expect(result).toMatchObject({
      merchant: { value: receipt.truth.merchant },
      date: { value: receipt.truth.date },
      currency: { value: receipt.truth.currency },
      total: { value: receipt.truth.totalCents },
    });
    expect(result.lines.map((l) => l.amountCents)).toEqual(receipt.truth.lines.map((l) => l.amountCents));
    for (const field of [result.merchant, result.date, result.currency, result.total]) expect(field.confidence).toBeGreaterThan(0.5);
    expect(result.engine).toContain('tesseract.js');
  }, 60_000);

  it('the service answers an undecodable image with 422 problem+json before its OCR workers see it', async () => {
    const res = await fetch(`${models.url}/v1/receipts/scan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${models.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ image: Buffer.from('\x89PNG\r\n\x1a\n but not really a png').toString('base64') }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
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
    const noToken = await fetch(`${models.url}/v1/receipts/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: 'eA==' }),
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toContain('application/problem+json');

    const wrong = createServiceCatalog(services, {
      env: { MODELS_SERVICE_URL: models.url, MS_MODELS_TOKEN: 'not-the-token' },
      required: ['models'],
    });
    try {
      const error = await wrong.client('models').call('scanReceipt', { image: 'eA==' }).catch((e: unknown) => e);
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

import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { createEventBus, defineEvent, type DeliveredEvent, type PostgresEventBus } from '../../src/shared/events/index.js';
import { inTx, testPool, waitFor } from './support.js';

const pinged = defineEvent({
  type: 'tracetest.pinged',
  version: 1,
  publisher: 'tracetest',
  schema: Type.Object({ at: Type.String() }),
  subscribers: ['tracer'],
});

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let db: TestDatabase;
let pool: pg.Pool;
let bus: PostgresEventBus;
const delivered: DeliveredEvent[] = [];
let activeInHandler: string | undefined;

beforeAll(async () => {
  provider.register();
  db = await createTestDatabase('events_trace');
  pool = testPool(db.url);
  bus = createEventBus({ pool, consumers: ['tracer'], relay: { pollIntervalMs: 50 } });
  bus.subscribe('tracer', pinged.type, async (event) => {
    delivered.push(event);
    activeInHandler = trace.getSpan(context.active())?.spanContext().spanId;
  });
  await bus.start();
});

afterAll(async () => {
  await bus?.stop();
  await pool?.end();
  await db?.drop();
  await provider.shutdown();
});

it('stores the publishing span as a W3C traceparent and links the handler span to it', async () => {
  const tracer = trace.getTracer('test');
  const { traceId, spanId } = await tracer.startActiveSpan('POST /orders', async (span) => {
    await inTx(pool, (tx) => bus.publish([pinged.create({ at: 'now' })], tx));
    span.end();
    return span.spanContext();
  });
  await waitFor('delivery', async () => delivered.length === 1);
  expect(delivered[0]!.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  await waitFor('process span exported', async () => exporter.getFinishedSpans().some((s) => s.name === `process ${pinged.type}`));
  const processSpan = exporter.getFinishedSpans().find((s) => s.name === `process ${pinged.type}`)!;
  // Its own trace, linked (not parented) to the request that published it.
  expect(processSpan.spanContext().traceId).not.toBe(traceId);
  expect(processSpan.links.map((l) => l.context)).toEqual([expect.objectContaining({ traceId, spanId })]);
  expect(processSpan.attributes['messaging.message.id']).toBe(delivered[0]!.id);
  expect(processSpan.attributes['messaging.consumer.group.name']).toBe('tracer');
  // The handler runs inside the process span, so its own spans (pg, http) nest under it.
  expect(activeInHandler).toBe(processSpan.spanContext().spanId);
});

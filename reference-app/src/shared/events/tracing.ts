import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';

const tracer = () => trace.getTracer('@archfit/events');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * W3C traceparent of the active span, or undefined. Read from the span itself rather than
 * through the global propagator, so it works whether or not the app registered one.
 */
export function activeTraceparent(): string | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  const m = value ? TRACEPARENT.exec(value) : null;
  if (!m) return undefined;
  const sc: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true };
  return isSpanContextValid(sc) ? sc : undefined;
}

export interface ProcessSpanInfo {
  type: string;
  eventId: string;
  consumer: string;
  attempt: number;
  traceparent?: string | undefined;
  system?: string;
}

/**
 * Runs `fn` inside a `process <type>` consumer span that LINKS to the publishing span
 * (messaging semantic conventions): a delivery is its own trace, often long after the
 * request that published it, but the link lets a trace viewer jump between the two.
 */
export async function withProcessSpan<T>(info: ProcessSpanInfo, fn: (span: Span) => Promise<T>): Promise<T> {
  const span = startProcessSpan(info);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => fn(span));
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (err) {
    endWithError(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * One `process <type>` span per event around a handler call that takes them all (a batch):
 * each event keeps its own span and its link to its publisher, and all of them end with the
 * batch's outcome. The batch runs in the first event's span, so its statements nest there.
 */
export async function withProcessSpans<T>(infos: ReadonlyArray<ProcessSpanInfo>, fn: () => Promise<T>): Promise<T> {
  const spans = infos.map(startProcessSpan);
  try {
    const result = spans[0] ? await context.with(trace.setSpan(context.active(), spans[0]), fn) : await fn();
    for (const span of spans) span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (err) {
    for (const span of spans) endWithError(span, err);
    throw err;
  } finally {
    for (const span of spans) span.end();
  }
}

function endWithError(span: Span, err: unknown): void {
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

function startProcessSpan(info: ProcessSpanInfo): Span {
  const producer = parseTraceparent(info.traceparent);
  const links: Link[] = producer ? [{ context: producer }] : [];
  return tracer().startSpan(
    `process ${info.type}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': info.system ?? 'postgresql',
        'messaging.operation.type': 'process',
        'messaging.destination.name': info.type,
        'messaging.message.id': info.eventId,
        'messaging.consumer.group.name': info.consumer,
        'messaging.delivery.attempt': info.attempt,
      },
    },
    context.active(),
  );
}

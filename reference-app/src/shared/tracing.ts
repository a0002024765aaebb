import { SpanStatusCode, trace } from '@opentelemetry/api';

/*
 * Application code depends on @opentelemetry/api only: without an SDK (the default) every call
 * below is a no-op costing a few property reads. main.ts registers the SDK when OTEL_ENABLED=1.
 */
const tracer = trace.getTracer('archfit-reference-app');

/**
 * Wraps a command or query handler so each call runs in its own span named after it,
 * with the owning module as the `module` attribute (the seam a later extraction would cut).
 */
export function traced<A extends unknown[], R>(
  module: string,
  name: string,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  const spanName = `${module}.${name}`;
  // One options object per handler, not per call: the SDK copies the attributes into each span.
  const options = { attributes: { module } };
  return (...args: A) =>
    tracer.startActiveSpan(spanName, options, async (span) => {
      try {
        return await handler(...args);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
}

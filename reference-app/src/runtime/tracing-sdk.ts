import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The only place that touches the OpenTelemetry SDK. Off unless OTEL_ENABLED=1; modules use
 * @opentelemetry/api alone, which stays a no-op until this registers a provider. Spans go
 * to stdout here; swap the exporter for OTLP in a real deployment.
 */
export function startTracing(serviceName = 'archfit-reference-app'): () => Promise<void> {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
  });
  provider.register();
  return () => provider.shutdown();
}

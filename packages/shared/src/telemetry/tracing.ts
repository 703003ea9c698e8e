import { context, propagation, trace } from '@opentelemetry/api';
import type { Config } from '../config/index.ts';

/** The tracer of podpreview's own spans (API requests, stage work); BullMQ's come from bullmq-otel. */
export const TRACER_NAME = 'podpreview';

export interface Tracing {
  /** Exports what is still buffered and stops (call before the process exits). */
  shutdown(): Promise<void>;
}

/** A span processor (the SDK's SpanProcessor; typed loosely so this module loads no SDK until tracing is on). */
export type SpanProcessorLike = object;

/**
 * Registers this process's tracer provider: W3C trace context between processes (BullMQ carries
 * it in each job), AsyncLocalStorage for the active span inside one, a parent-based sampler (a
 * run's spans follow its first span's decision) and the given processors. Returns undefined
 * when tracing is off, so nothing of the SDK is loaded then.
 */
export async function registerTracing(
  config: Pick<Config, 'tracing'>,
  serviceName: string,
  processors: (exporters: typeof import('@opentelemetry/sdk-trace')) => Promise<SpanProcessorLike[]> | SpanProcessorLike[],
): Promise<Tracing | undefined> {
  if (!config.tracing.enabled) return undefined;
  const [sdk, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.tracing.serviceName ?? serviceName }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(config.tracing.sampleRatio) }),
    spanProcessors: (await processors(sdk)) as InstanceType<typeof sdk.SimpleSpanProcessor>[],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Tracing as configured: spans exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT in
 * batches. With tracing on and no endpoint, spans are made (and carried between processes) but
 * go nowhere.
 */
export function startTracing(config: Pick<Config, 'tracing'>, serviceName: string): Promise<Tracing | undefined> {
  return registerTracing(config, serviceName, async (sdk) => {
    const { otlpEndpoint, otlpHeaders } = config.tracing;
    if (!otlpEndpoint) return [];
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces`, headers: otlpHeaders }) })];
  });
}

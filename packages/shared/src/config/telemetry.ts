import { z } from 'zod';
import { type EnvOf, list, ratio, setting } from './setting.ts';

/** Logs, traces and the build the process says it is. */
export const telemetrySettings = {
  LOG_LEVEL: setting(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'pino level; logs are JSON lines on stderr (`severity`, `message`, `time`, trace fields)',
  ),
  NO_COLOR: setting(z.string().optional(), 'set (to anything): no colours in the logs pretty-printed on a terminal ([no-color.org](https://no-color.org))'),
  PODPREVIEW_TRACING: setting(
    z.enum(['auto', 'on', 'off']).default('auto'),
    'OpenTelemetry traces, one per run from the API request through every stage: `on`, `off`, or `auto` (on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set)',
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: setting(
    z.url({ protocol: /^https?$/ }).optional(),
    'OTLP/HTTP collector the traces are exported to (`<endpoint>/v1/traces`, in batches)',
  ),
  OTEL_EXPORTER_OTLP_HEADERS: setting(
    z
      .string()
      .regex(/^[^=,\s]+=[^,]*(,[^=,\s]+=[^,]*)*$/, 'key=value pairs, comma-separated')
      .optional(),
    'headers for the collector, `key=value` comma-separated (a credential, say)',
  ),
  OTEL_SERVICE_NAME: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/)
      .optional(),
    '`service.name` of the spans (`podpreview-api`, `podpreview-worker`)',
    'the command',
  ),
  PODPREVIEW_TRACE_SAMPLE_RATIO: setting(ratio(1), "share of runs traced (a run's spans follow its first span's decision)"),
  PODPREVIEW_BUILD_COMMIT: setting(z.string().optional(), 'commit an image was built from (images have no `.git`); shown by doctor and `/version`'),
};

/**
 * OpenTelemetry traces: one trace per run, from the API request through every stage job
 * (BullMQ's telemetry option). `enabled` when PODPREVIEW_TRACING=on, or auto with an OTLP
 * endpoint; without an endpoint the spans go to whatever tracer provider the process registered
 * (tests collect them in memory).
 */
export interface TracingConfig {
  enabled: boolean;
  /** OTLP/HTTP base URL (the exporter posts to `<endpoint>/v1/traces`); unset: no export. */
  otlpEndpoint: string | undefined;
  otlpHeaders: Record<string, string>;
  serviceName: string | undefined;
  /** Share of new traces recorded (a run's spans follow its first span's decision). */
  sampleRatio: number;
}

export interface TelemetryConfig {
  logLevel: string;
  /** Colours on a terminal; false when NO_COLOR is set (https://no-color.org). */
  logColor: boolean;
  tracing: TracingConfig;
  /** The commit an image was built from (images have no .git); the checkout's own commit wins. */
  buildCommit: string | undefined;
}

export function telemetryConfig(e: EnvOf<typeof telemetrySettings>): TelemetryConfig {
  return {
    logLevel: e.LOG_LEVEL,
    // https://no-color.org: present and not empty turns colour off (empty counts as unset here anyway).
    logColor: e.NO_COLOR === undefined,
    tracing: {
      enabled: e.PODPREVIEW_TRACING === 'on' || (e.PODPREVIEW_TRACING === 'auto' && e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined),
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, ''),
      otlpHeaders: Object.fromEntries(
        list(e.OTEL_EXPORTER_OTLP_HEADERS).map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), decodeURIComponent(kv.slice(kv.indexOf('=') + 1).trim())]),
      ),
      serviceName: e.OTEL_SERVICE_NAME,
      sampleRatio: e.PODPREVIEW_TRACE_SAMPLE_RATIO,
    },
    buildCommit: e.PODPREVIEW_BUILD_COMMIT,
  };
}

import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/** What of the configuration the logger reads (pass the Config itself). */
export interface LogOptions {
  /** Colours on a terminal (off with NO_COLOR). */
  logColor?: boolean;
  /** Google Cloud project: trace fields name the trace as Cloud Logging links it (`projects/<p>/traces/<id>`). */
  gcpProject?: string | undefined;
  /** Where JSON lines go instead of stderr (tests). */
  destination?: DestinationStream;
}

/** pino's levels as Cloud Logging's LogSeverity names. */
const SEVERITY: Record<string, string> = { trace: 'DEBUG', debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR', fatal: 'CRITICAL' };

/**
 * The fields Cloud Logging reads to tie a line to its trace, while a span is active (a stage
 * job, an API request); nothing when tracing is off.
 */
function traceFields(gcpProject: string | undefined): () => Record<string, unknown> {
  return () => {
    const span = trace.getActiveSpan()?.spanContext();
    if (!span) return {};
    return {
      'logging.googleapis.com/trace': gcpProject ? `projects/${gcpProject}/traces/${span.traceId}` : span.traceId,
      'logging.googleapis.com/spanId': span.spanId,
      'logging.googleapis.com/trace_sampled': (span.traceFlags & 1) === 1,
    };
  };
}

/**
 * JSON lines on stderr (stdout stays free for CLI output meant for scripts) in the shape Cloud
 * Logging's structured logging reads: `severity` (WARNING, ERROR, ...), `message`, an ISO
 * `time`, the active trace and span, and `stack_trace` on errors that carry a stack (Error
 * Reporting groups those). On a terminal the same lines are pretty-printed for people,
 * without colours under NO_COLOR.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, o: LogOptions = {}): Logger {
  const options: LoggerOptions = { level, base: { ...bindings }, messageKey: 'message', mixin: traceFields(o.gcpProject) };
  if (process.stderr.isTTY && !o.destination) return pino(options, pino.transport({ target: 'pino-pretty', options: prettyOptions(o) }));
  return pino({ ...options, formatters: cloudFormatters, timestamp: pino.stdTimeFunctions.isoTime }, o.destination ?? pino.destination(2));
}

/** pino-pretty's options for a terminal: colours unless NO_COLOR. */
export function prettyOptions(o: Pick<LogOptions, 'logColor'>) {
  return { destination: 2, colorize: o.logColor ?? true, messageKey: 'message', translateTime: 'SYS:HH:MM:ss.l' };
}

/** The level as Cloud Logging's severity, and a stack as `stack_trace` for Error Reporting. */
export const cloudFormatters: NonNullable<LoggerOptions['formatters']> = {
  level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT' }),
  log: (obj) => {
    const stack = typeof obj.stack === 'string' ? obj.stack : (obj.err as { stack?: unknown } | undefined)?.stack;
    return typeof stack === 'string' && obj.stack_trace === undefined ? { ...obj, stack_trace: stack } : obj;
  },
};

import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON lines on stderr (stdout stays free for CLI output meant for scripts), with the level as
 * a name (`"level":"warn"`, which cloud logging maps to severity) and an ISO time. On a
 * terminal the same lines are pretty-printed for people.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  const options = { level, base: { ...bindings } };
  if (process.stderr.isTTY) {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss.l' } }));
  }
  return pino({ ...options, formatters: { level: (label) => ({ level: label }) }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

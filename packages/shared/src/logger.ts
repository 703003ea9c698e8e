import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stderr, so stdout stays free for CLI output meant for scripts. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...bindings } }, pino.destination(2));
}

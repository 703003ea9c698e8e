import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { rateLimitKeyPrefix, type RedisConnection } from '@podpreview/runs';
import { errorMessage, type Logger } from '@podpreview/shared';

/**
 * The API's request counters in Redis (rate-limit-redis), so every `podpreview serve` replica
 * counts against the same limit: a credential gets PODPREVIEW_API_RATE_LIMIT_PER_MIN across all
 * of them, not per process. While Redis is unreachable requests are let through uncounted (the
 * routes that need Redis answer 503 themselves), with a warning in the log at most every 10 s.
 */
export function rateLimitStore(redis: RedisConnection, prefix: string, log: Logger): Store {
  const inner = new RedisStore({
    prefix: rateLimitKeyPrefix(prefix),
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<number | string>,
  });
  let warnedAtMs = 0;
  const uncounted = (err: unknown): ClientRateLimitInfo => {
    if (Date.now() - warnedAtMs > 10_000) {
      warnedAtMs = Date.now();
      log.warn({ err: errorMessage(err) }, 'rate limit counters unreachable: requests pass uncounted');
    }
    return { totalHits: 0, resetTime: undefined };
  };
  return {
    prefix: inner.prefix,
    localKeys: false,
    init: (options: Options) => inner.init(options),
    increment: (key) => inner.increment(key).catch(uncounted),
    decrement: (key) => inner.decrement(key).catch(() => undefined),
    resetKey: (key) => inner.resetKey(key).catch(() => undefined),
  };
}

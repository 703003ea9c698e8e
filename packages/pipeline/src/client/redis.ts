import { Redis } from 'ioredis';
import { RedisUnavailableError } from '@podpreview/shared';

/**
 * Workers block on Redis, so their connections retry forever (maxRetriesPerRequest null): a
 * Redis restart then pauses work instead of failing jobs or burning attempts, and a next-hop
 * add or claim release made during the restart waits and goes through. Clients (CLI, API) give
 * up on a command after 3 reconnect attempts so a caller gets an answer while Redis is down.
 * Reconnects back off linearly to at most 1 s: ioredis 6's default doubles up to 5 s, which
 * makes every later request of an API process wait ~6 s during an outage and delays
 * recovery after a restart by as much.
 */
export function createRedis(url: string, role: 'worker' | 'client'): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    enableReadyCheck: true,
    connectionName: `podpreview-${role}`,
  });
  // Connection errors are retried by ioredis and surface on the commands that fail; without a
  // listener each reconnect attempt would also print "Unhandled error event".
  redis.on('error', () => {});
  return redis;
}

/** The URL with its password (and user) masked, for messages and logs. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

/**
 * A client connection that is ready, or a RedisUnavailableError naming the URL and the last
 * connection error within `timeoutMs`: commands never hang on an unreachable Redis.
 */
export async function connectRedis(url: string, role: 'worker' | 'client', timeoutMs: number): Promise<Redis> {
  const redis = createRedis(url, role);
  let lastError: Error | undefined;
  const onError = (err: Error) => {
    lastError = err;
  };
  redis.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      if (redis.status === 'ready') return resolve();
      const timer = setTimeout(() => reject(new RedisUnavailableError(maskRedisUrl(url), timeoutMs, lastError)), timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return redis;
  } catch (err) {
    redis.disconnect();
    throw err;
  } finally {
    redis.off('error', onError);
  }
}

import { Cluster } from 'ioredis';
import type { RedisConnection } from './redis.ts';

/**
 * A subscription to one channel on its own connection (a subscribed connection takes no other
 * commands). ioredis resubscribes after a reconnect; what is published meanwhile is lost, so a
 * listener that must not miss a message keeps a way to catch up (see CancelWatch).
 */
export async function subscribe(
  redis: RedisConnection,
  channel: string,
  onMessage: (message: string) => void,
  o: { signal?: AbortSignal } = {},
): Promise<{ close(): void }> {
  // Either branch is `duplicate()`: TypeScript cannot call it on the union.
  const sub: RedisConnection = redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
  sub.on('error', () => {});
  // Closed even while still subscribing (a connection that waits out a Redis restart would otherwise live on).
  o.signal?.addEventListener('abort', () => sub.disconnect(), { once: true });
  sub.on('message', (heard: string, message: string) => {
    if (heard === channel) onMessage(message);
  });
  try {
    await sub.subscribe(channel);
  } catch (err) {
    sub.disconnect();
    throw err;
  }
  return { close: () => sub.disconnect() };
}

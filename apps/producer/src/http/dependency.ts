import type { StageQueues } from '@podpreview/runs';
import { RedisUnavailableError } from '@podpreview/shared';
import { DuckDbLockTimeoutError } from '@podpreview/storage';

/** Network failures of a call to Redis, a bucket or BigQuery: the dependency, not the request, is at fault. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether an error means a dependency is down (answered 503 with Retry-After: retrying later
 * helps) rather than a fault of ours (500: retrying the same request will not help).
 */
export function isDependencyDown(err: unknown, queues: StageQueues): boolean {
  if (queues.redis.status !== 'ready') return true;
  if (err instanceof RedisUnavailableError || err instanceof DuckDbLockTimeoutError) return true;
  const e = err as { name?: string; code?: unknown; message?: string } | undefined;
  // ioredis: a command given up after its reconnect attempts, or sent on a closed connection.
  if (e?.name === 'MaxRetriesPerRequestError' || /^Connection is closed|^Stream isn't writeable/.test(e?.message ?? '')) return true;
  if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  // Cloud APIs: throttled or unavailable.
  if (typeof e?.code === 'number' && (e.code === 429 || e.code === 502 || e.code === 503 || e.code === 504)) return true;
  return false;
}

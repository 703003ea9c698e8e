import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { describeRedisTarget, RedisUnavailableError, type RedisTarget } from '@podpreview/shared';

/** One server (directly or through Sentinel) or a cluster: BullMQ and our own commands take either. */
export type RedisConnection = Redis | Cluster;

/**
 * Workers block on Redis, so their connections retry forever (maxRetriesPerRequest null): a
 * Redis restart or a Sentinel failover then pauses work instead of failing jobs or burning
 * attempts, and a next-hop add or claim release made meanwhile waits and goes through. Clients
 * (CLI, API) give up on a command after 3 reconnect attempts so a caller gets an answer while
 * Redis is down. Reconnects back off linearly to at most 1 s: ioredis 6's default doubles up to
 * 5 s, which makes every later request of an API process wait ~6 s during an outage and delays
 * recovery after a restart by as much.
 */
export function createRedis(target: RedisTarget, role: 'worker' | 'client'): RedisConnection {
  const retry = (times: number) => Math.min(times * 100, 1000);
  const common: RedisOptions = {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    retryStrategy: retry,
    enableReadyCheck: true,
    connectionName: `podpreview-${role}`,
  };
  let redis: RedisConnection;
  if (typeof target === 'string') {
    redis = new Redis(target, common);
  } else if (target.kind === 'sentinel') {
    redis = new Redis({
      ...common,
      sentinels: target.sentinels,
      name: target.name,
      role: 'master',
      ...(target.password ? { password: target.password } : {}),
      ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
      sentinelRetryStrategy: retry,
      // Not ioredis's failoverDetector: its +switch-master handler can fire while a reconnect
      // is still asking the sentinels, and that reconnect then ends the connection for good
      // ("Connection is closed", seen in the failover test under load). Without it a client
      // notices the failover when its socket to the old primary fails, and asks the sentinels
      // again every second at most; keepAlive bounds how long a vanished host goes unnoticed.
      keepAlive: 10_000,
      // A demoted primary that comes back as a replica answers writes with READONLY: reconnect
      // (asking the sentinels again) and resend the command instead of failing it.
      reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
    });
  } else {
    redis = new Cluster(target.nodes, {
      redisOptions: { ...common, ...(target.password ? { password: target.password } : {}) },
      clusterRetryStrategy: retry,
      enableReadyCheck: true,
      // Our commands and BullMQ's scripts need a primary; reads from replicas could see a job
      // state a moment old.
      scaleReads: 'master',
    });
  }
  // Connection errors are retried by ioredis and surface on the commands that fail; without a
  // listener each reconnect attempt would also print "Unhandled error event".
  redis.on('error', () => {});
  return redis;
}

/**
 * Replication is asynchronous: a primary that dies moments after a write may take it along, and
 * the replica the sentinels promote never saw it. WAIT returns once `replicas` replicas have
 * every write this connection made so far, or after `timeoutMs` (with fewer: the write stands,
 * a later failover could still lose it). On a cluster a keyless WAIT would go to a random node,
 * so it is not sent there.
 */
export async function awaitReplicas(redis: RedisConnection, replicas: number, timeoutMs: number): Promise<number> {
  if (replicas <= 0 || redis.isCluster) return 0;
  return Number(await redis.call('WAIT', replicas, timeoutMs));
}

/**
 * A client connection that is ready, or a RedisUnavailableError naming the target and the last
 * connection error within `timeoutMs`: commands never hang on an unreachable Redis.
 */
export async function connectRedis(target: RedisTarget, role: 'worker' | 'client', timeoutMs: number): Promise<RedisConnection> {
  const redis = createRedis(target, role);
  let lastError: Error | undefined;
  const onError = (err: Error) => {
    lastError = err;
  };
  redis.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      if (redis.status === 'ready') return resolve();
      const timer = setTimeout(() => reject(new RedisUnavailableError(describeRedisTarget(target), timeoutMs, lastError)), timeoutMs);
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

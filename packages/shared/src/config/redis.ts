import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { parseHostPorts, type RedisClusterTarget, type RedisSentinelTarget } from '../redis-target.ts';
import { type EnvOf, int, setting } from './setting.ts';

/** How every process reaches Redis: one URL, Sentinel, or a Cluster. */
export const redisSettings = {
  REDIS_URL: setting(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    'Redis for the queues. Unset: the demo and `enqueue --wait` start a private `redis-server`',
  ),
  PODPREVIEW_REDIS_SENTINELS: setting(
    z.string().optional(),
    'Sentinels as `host:port`, comma-separated, instead of `REDIS_URL`: producer, workers and dashboard ask them for the current primary and follow a failover by themselves ([infra/README.md](infra/README.md#redis-sentinel-and-redis-cluster))',
  ),
  PODPREVIEW_REDIS_SENTINEL_NAME: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default('podpreview'),
    "the primary's name in the sentinels' configuration (`sentinel monitor <name> …`)",
  ),
  PODPREVIEW_REDIS_SENTINEL_PASSWORD: setting(z.string().optional(), 'password of the sentinels themselves'),
  PODPREVIEW_REDIS_CLUSTER_NODES: setting(
    z.string().optional(),
    "Redis Cluster seed nodes as `host:port`, comma-separated, instead of `REDIS_URL`; each queue's keys then carry their own hash tag (`{prefix:queue}`), our own keys one shared tag (`{prefix}`)",
  ),
  PODPREVIEW_REDIS_PASSWORD: setting(
    z.string().optional(),
    'password of the Redis servers: with Sentinel or Cluster, and put into `REDIS_URL` when the URL carries none (the URL in a ConfigMap, the password from a Secret: infra/)',
  ),
  PODPREVIEW_ENQUEUE_WAIT_REPLICAS: setting(
    int(0),
    'an accepted episode is answered only once this many replicas hold it (Redis `WAIT`), so a failover cannot lose an enqueue the caller was told of; 1 with Sentinel. Not sent to a cluster',
  ),
  PODPREVIEW_ENQUEUE_WAIT_TIMEOUT_MS: setting(int(1000, 1), 'longest that wait; past it the episode is accepted anyway (it is on the primary)'),
  PODPREVIEW_REDIS_CONNECT_TIMEOUT_MS: setting(
    int(10_000, 100),
    'CLI commands and `serve` give up on an unreachable Redis after this, naming the URL (password masked); exit code 3',
  ),
};

export interface RedisConfig {
  redisUrl: string | undefined;
  /** Set when PODPREVIEW_REDIS_SENTINELS is: the primary is found through Sentinel (redisTargetOf). */
  redisSentinel: RedisSentinelTarget | undefined;
  /** Set when PODPREVIEW_REDIS_CLUSTER_NODES is: queues and keys spread over a Redis Cluster. */
  redisCluster: RedisClusterTarget | undefined;
  /**
   * An accepted episode is answered only once this many replicas hold it (Redis WAIT), for at
   * most enqueueWaitTimeoutMs: a failover then cannot lose an enqueue the caller was told of.
   */
  enqueueWaitReplicas: number;
  enqueueWaitTimeoutMs: number;
  /** How long a command-line call waits for Redis before it gives up with a clear error. */
  redisConnectTimeoutMs: number;
}

export function redisConfig(e: EnvOf<typeof redisSettings>): RedisConfig {
  const ways = [
    e.REDIS_URL && 'REDIS_URL',
    e.PODPREVIEW_REDIS_SENTINELS && 'PODPREVIEW_REDIS_SENTINELS',
    e.PODPREVIEW_REDIS_CLUSTER_NODES && 'PODPREVIEW_REDIS_CLUSTER_NODES',
  ].filter(Boolean);
  if (ways.length > 1) throw new ConfigError(`${ways.join(', ')}: set only one way to reach Redis`);
  return {
    redisUrl: withPassword(e.REDIS_URL, e.PODPREVIEW_REDIS_PASSWORD),
    redisSentinel: e.PODPREVIEW_REDIS_SENTINELS
      ? {
          kind: 'sentinel',
          sentinels: parseHostPorts('PODPREVIEW_REDIS_SENTINELS', e.PODPREVIEW_REDIS_SENTINELS),
          name: e.PODPREVIEW_REDIS_SENTINEL_NAME,
          password: e.PODPREVIEW_REDIS_PASSWORD,
          sentinelPassword: e.PODPREVIEW_REDIS_SENTINEL_PASSWORD,
        }
      : undefined,
    redisCluster: e.PODPREVIEW_REDIS_CLUSTER_NODES
      ? { kind: 'cluster', nodes: parseHostPorts('PODPREVIEW_REDIS_CLUSTER_NODES', e.PODPREVIEW_REDIS_CLUSTER_NODES), password: e.PODPREVIEW_REDIS_PASSWORD }
      : undefined,
    enqueueWaitReplicas: e.PODPREVIEW_ENQUEUE_WAIT_REPLICAS,
    enqueueWaitTimeoutMs: e.PODPREVIEW_ENQUEUE_WAIT_TIMEOUT_MS,
    redisConnectTimeoutMs: e.PODPREVIEW_REDIS_CONNECT_TIMEOUT_MS,
  };
}

/**
 * REDIS_URL with PODPREVIEW_REDIS_PASSWORD in it, when the URL carries none: the URL can then sit
 * in a ConfigMap and the password come from a Secret (infra/k8s).
 */
function withPassword(url: string | undefined, password: string | undefined): string | undefined {
  if (!url || !password) return url;
  const u = new URL(url);
  if (u.password) return url;
  u.password = encodeURIComponent(password);
  return u.toString();
}

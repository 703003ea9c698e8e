import { ConfigError } from './errors/config.error.ts';

/** One `host:port` of a Sentinel or a cluster node. */
export interface RedisHostPort {
  host: string;
  port: number;
}

/** Redis behind Sentinel: the clients ask the sentinels which server is the primary of `name`. */
export interface RedisSentinelTarget {
  kind: 'sentinel';
  sentinels: RedisHostPort[];
  /** The primary's name in the sentinels' configuration (`sentinel monitor <name> …`). */
  name: string;
  /** Password of the data servers (primary and replicas); undefined: none. */
  password: string | undefined;
  /** Password of the sentinels themselves (`requirepass` in sentinel.conf); undefined: none. */
  sentinelPassword: string | undefined;
}

/** Redis Cluster: any reachable nodes; the client learns the rest and the slot map from them. */
export interface RedisClusterTarget {
  kind: 'cluster';
  nodes: RedisHostPort[];
  password: string | undefined;
}

/** Where the queues live: a `redis://` URL (one server), Sentinel, or a cluster. */
export type RedisTarget = string | RedisSentinelTarget | RedisClusterTarget;

/** `host:port`, comma-separated; the variable is named in the error. */
export function parseHostPorts(variable: string, v: string): RedisHostPort[] {
  const entries = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError(`${variable}: at least one host:port`);
  return entries.map((entry) => {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(entry);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65_535) throw new ConfigError(`${variable}: "${entry}" is not host:port`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

/** The target as one line for messages and logs, passwords masked. */
export function describeRedisTarget(target: RedisTarget): string {
  if (typeof target === 'string') {
    try {
      const u = new URL(target);
      if (u.password) u.password = '***';
      return u.toString();
    } catch {
      return 'redis://(unparsable URL)';
    }
  }
  const hosts = (target.kind === 'sentinel' ? target.sentinels : target.nodes).map((h) => `${h.host}:${h.port}`).join(',');
  return target.kind === 'sentinel' ? `sentinel ${hosts} (primary "${target.name}")` : `cluster ${hosts}`;
}

/**
 * The Redis a process should use, from its configuration (at most one of REDIS_URL,
 * PODPREVIEW_REDIS_SENTINELS and PODPREVIEW_REDIS_CLUSTER_NODES is set); undefined when none is.
 */
export function redisTargetOf(config: {
  redisUrl: string | undefined;
  redisSentinel?: RedisSentinelTarget | undefined;
  redisCluster?: RedisClusterTarget | undefined;
}): RedisTarget | undefined {
  return config.redisUrl ?? config.redisSentinel ?? config.redisCluster;
}

import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.ts';
import { describeRedisTarget, redisTargetOf } from './redis-target.ts';

describe('how the processes reach Redis', () => {
  it('is the URL when REDIS_URL is set, nothing when no way is configured', () => {
    expect(redisTargetOf(loadConfig({ REDIS_URL: 'redis://r:6379' }))).toBe('redis://r:6379');
    expect(redisTargetOf(loadConfig({}))).toBeUndefined();
  });

  it('goes through Sentinel with the primary name and both passwords', () => {
    const c = loadConfig({
      PODPREVIEW_REDIS_SENTINELS: 's1:26379, s2:26380,[::1]:26381',
      PODPREVIEW_REDIS_SENTINEL_NAME: 'main',
      PODPREVIEW_REDIS_PASSWORD: 'data-secret',
      PODPREVIEW_REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    });
    expect(redisTargetOf(c)).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'main',
      password: 'data-secret',
      sentinelPassword: 'sentinel-secret',
    });
    expect(describeRedisTarget(redisTargetOf(c)!)).toBe('sentinel s1:26379,s2:26380,::1:26381 (primary "main")');
  });

  it('goes to a cluster through its seed nodes', () => {
    const c = loadConfig({ PODPREVIEW_REDIS_CLUSTER_NODES: 'n1:7000,n2:7001' });
    expect(redisTargetOf(c)).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      password: undefined,
    });
  });

  it('refuses two ways at once and malformed host lists, naming the variables', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://r', PODPREVIEW_REDIS_SENTINELS: 's:1' })).toThrow(/REDIS_URL, PODPREVIEW_REDIS_SENTINELS: set only one/);
    expect(() => loadConfig({ PODPREVIEW_REDIS_SENTINELS: 's1' })).toThrow(/PODPREVIEW_REDIS_SENTINELS: "s1" is not host:port/);
    expect(() => loadConfig({ PODPREVIEW_REDIS_CLUSTER_NODES: 'n:99999' })).toThrow(/PODPREVIEW_REDIS_CLUSTER_NODES/);
  });

  it('masks a URL password in messages', () => {
    expect(describeRedisTarget('redis://:hunter2@h:1/0')).toBe('redis://:***@h:1/0');
  });
});

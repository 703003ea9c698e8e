import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelWatch } from './cancel-watch.ts';
import { createRedis, type RedisConnection } from './redis.ts';
import { cancelledRunsKey } from './redis.keys.ts';
import { type PrivateRedis, startPrivateRedis } from './redis.server.ts';
import { RunStore } from './run-store.ts';

const LIMITS = { runStateTtlMs: 60_000, runIndexMax: 3, runsPerEpisodeMax: 10 };

describe('cancel requests reach workers without a round trip per job (real redis-server)', () => {
  let server: PrivateRedis;
  let client: RedisConnection;
  let worker: RedisConnection;
  let api: RunStore;
  let workers: RunStore;

  beforeAll(async () => {
    server = await startPrivateRedis();
    client = createRedis(server.url, 'client');
    worker = createRedis(server.url, 'worker');
    api = new RunStore(client, 'cw', LIMITS);
    workers = new RunStore(worker, 'cw', LIMITS);
  });

  afterAll(async () => {
    workers?.close();
    client?.disconnect();
    worker?.disconnect();
    await server?.stop();
  });

  async function queued(runId: string): Promise<void> {
    await api.recordQueued({ runId, episodeId: `ep-${runId}`, enqueuedAtMs: Date.now() });
  }

  it('learns a cancel requested before the watch started (from the set) and one requested after (from the channel)', async () => {
    await queued('early');
    await queued('late');
    await queued('left-alone');
    expect(await api.requestCancel('early')).toBe('requested');
    expect(await workers.isCancelRequested('early')).toBe(true);
    expect(await workers.isCancelRequested('late')).toBe(false);
    expect(await api.requestCancel('late')).toBe('requested');
    await expect.poll(() => workers.isCancelRequested('late'), { timeout: 2_000 }).toBe(true);
    expect(await workers.isCancelRequested('left-alone')).toBe(false);
  });

  it('records nothing for a run that is unknown or already ended', async () => {
    expect(await api.requestCancel('never-queued')).toBe('unknown');
    expect(await client.zscore(cancelledRunsKey('cw'), 'never-queued')).toBeNull();
  });

  it('keeps the set bounded by the run index limit', async () => {
    for (const id of ['b1', 'b2', 'b3', 'b4', 'b5']) {
      await queued(id);
      await api.requestCancel(id);
    }
    expect(await client.zrange(cancelledRunsKey('cw'), '0', '-1')).toEqual(['b3', 'b4', 'b5']);
    expect(await client.pttl(cancelledRunsKey('cw'))).toBeGreaterThan(0);
  });

  it('learns from the set what it missed while it could not hear the channel', async () => {
    const deaf = new CancelWatch(worker, 'cw', LIMITS.runIndexMax);
    expect(await deaf.has('missed')).toBe(false);
    // As if the publish was lost: only the set says so.
    await client.zadd(cancelledRunsKey('cw'), Date.now(), 'missed');
    await expect.poll(() => deaf.has('missed'), { timeout: 12_000, interval: 500 }).toBe(true);
    deaf.close();
  }, 20_000);
});

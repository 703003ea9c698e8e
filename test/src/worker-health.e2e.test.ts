import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '@podpreview/runs';
import { fleetHealth, type StageWorkers, startStageWorkers } from '@podpreview/pipeline/worker';
import type { ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { startTestEnv, type TestEnv } from './harness.ts';

// What a worker's /healthz answers (fleetHealth), on a real Redis: healthy while its connections
// are up or merely reconnecting (a Redis restart: the workers resume by themselves), unhealthy
// once one has closed for good (ioredis `end`), so the orchestrator restarts the pod.

let env: TestEnv;
let results: ResultsSink;
let workers: StageWorkers;
/** The Redis started again in the restart test (the harness stops only the one it started). */
let restarted: PrivateRedis | undefined;

beforeAll(async () => {
  env = await startTestEnv();
  results = createResultsSink(env.config);
  workers = await startStageWorkers({
    config: env.config,
    redis: env.redis.url,
    stages: ['sink'],
    handlers: { sink: () => Promise.reject(new Error('no job is sent here')) },
    results,
    log: env.log,
  });
});

afterAll(async () => {
  await workers?.stop(1000);
  await results?.close();
  await restarted?.stop();
  await env?.cleanup();
});

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; !done(); i++) {
    if (i > 600) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('worker health (/healthz)', () => {
  it('says "starting" before the fleet exists', () => {
    expect(fleetHealth(undefined)).toEqual({ ok: false, starting: true });
  });

  it('is ok while the workers run and Redis answers, and stays ok while Redis restarts', async () => {
    expect(fleetHealth(workers)).toMatchObject({ ok: true, stages: ['sink'], redis: { workers: 'ready', queues: 'ready' } });
    const port = env.redis.port;
    await env.redis.stop();
    await until('the connections notice', () => workers.redisStatus().queues !== 'ready');
    expect(fleetHealth(workers)).toMatchObject({ ok: true });
    // The same server comes back on the same port: the connections find it again.
    restarted = await startPrivateRedis({ port });
    await until('the connections are back', () => Object.values(workers.redisStatus()).every((s) => s === 'ready'));
    expect(fleetHealth(workers)).toMatchObject({ ok: true });
  });

  it('is not ok once a connection has closed for good, and names it', async () => {
    workers.queues.redis.disconnect(); // no reconnect: ioredis status `end`
    await until('the connection has ended', () => workers.redisStatus().queues === 'end');
    const health = fleetHealth(workers);
    expect(health).toMatchObject({ ok: false, redis: { queues: 'end' } });
    expect(health.reason).toMatch(/Redis connection closed for good: queues/);
  });
});

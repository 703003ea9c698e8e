import { succeededRow } from '@podpreview/storage/testing';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, type StageQueues } from './queues.ts';
import { createRedis } from './redis.ts';
import { type PrivateRedis, startPrivateRedis } from './redis.server.ts';
import { waitForRuns } from './wait.ts';

const CONFIG = { queuePrefix: 'wait', runStateTtlMs: 60_000, runIndexMax: 100, runsPerEpisodeMax: 10 };

const ended = (runId: string) => succeededRow({ runId, episodeId: `ep-${runId}`, clipKey: `clips/${runId}.mp3` });

describe('waitForRuns (real redis-server)', () => {
  let server: PrivateRedis;
  let queues: StageQueues;

  beforeAll(async () => {
    server = await startPrivateRedis();
    queues = createQueues(createRedis(server.url, 'client'), CONFIG);
  });

  afterAll(async () => {
    if (queues) await closeQueues(queues);
    await server?.stop();
  });

  const queued = (runId: string) => queues.runs.recordQueued({ runId, episodeId: `ep-${runId}`, enqueuedAtMs: Date.now() });
  const commandsServed = async () => Number(/total_commands_processed:(\d+)/.exec(await queues.redis.info('stats'))?.[1]);

  it('sees a run end at the next short tick, from its record, without reading every stage between full polls', async () => {
    await queued('r1');
    await queued('r2');
    let ticks = 0;
    const waiting = waitForRuns(queues, ['r1', 'r2'], { pollMs: 20, fullPollMs: 60_000, onProgress: () => ticks++ });
    await new Promise((r) => setTimeout(r, 300));
    // Between full polls a tick is one pipelined read of the records (two HMGETs), where
    // reading every stage's job of both runs would be a dozen commands per run.
    const [commands0, ticks0] = [await commandsServed(), ticks];
    await new Promise((r) => setTimeout(r, 400));
    const [commands1, ticks1] = [await commandsServed(), ticks];
    expect(ticks1 - ticks0).toBeGreaterThan(2);
    expect((commands1 - commands0 - 1) / (ticks1 - ticks0)).toBeLessThan(4);
    const t0 = Date.now();
    await queues.runs.recordEnded(ended('r1'));
    await queues.runs.recordEnded(ended('r2'));
    const statuses = await waiting;
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(statuses.map((s) => [s.runId, s.state, s.summary?.clipKey])).toEqual([
      ['r1', 'succeeded', 'clips/r1.mp3'],
      ['r2', 'succeeded', 'clips/r2.mp3'],
    ]);
  });

  it('wakes as a run ends, not at the next tick, and leaves no connection behind', async () => {
    const clients = async () =>
      String(await queues.redis.call('CLIENT', 'LIST'))
        .trim()
        .split('\n').length;
    // The earlier tests' subscriptions close as their waits end, a moment after.
    await new Promise((r) => setTimeout(r, 200));
    const before = await clients();
    await queued('r5');
    const waiting = waitForRuns(queues, ['r5'], { pollMs: 60_000, fullPollMs: 60_000 });
    // Past the first poll (the run still queued), into a minute's sleep.
    await new Promise((r) => setTimeout(r, 300));
    expect(await clients()).toBe(before + 1);
    const t0 = Date.now();
    await queues.runs.recordEnded(ended('r5'));
    const [s] = await Promise.race<Awaited<typeof waiting>>([
      waiting,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not woken')), 10_000)),
    ]);
    expect(s).toMatchObject({ runId: 'r5', state: 'succeeded' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    await expect.poll(clients).toBe(before);
  });

  it('learns of a run its record still calls queued (a stage job failed) from the full poll', async () => {
    await queued('r3');
    const connection = createRedis(server.url, 'worker');
    const worker = new Worker(
      queues.preprocess.name,
      async () => {
        throw new Error('corrupt_audio: no frames');
      },
      { connection, prefix: queues.preprocess.opts.prefix! },
    );
    await queues.preprocess.add('r3', { any: 'thing' }, { jobId: 'r3', attempts: 1 });
    const [s] = await waitForRuns(queues, ['r3'], { pollMs: 20, fullPollMs: 200, timeoutMs: 10_000 }).finally(async () => {
      await worker.close();
      connection.disconnect();
    });
    expect(s).toMatchObject({ runId: 'r3', state: 'failed', failedStage: 'preprocess', errorCode: 'corrupt_audio' });
  });
});

import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, EnqueueRequest, type ResultRow, type ResultsSink, stageSpec } from '@podpreview/shared';
import { createRedis, enqueueEpisode, queueKeyPrefix } from '@podpreview/runs';
import { type RuntimeFixture, startRuntimeFixture } from '../testing/runtime.fixture.ts';
import { succeededResult } from '../testing/trivial-stages.ts';
import type { StageHandlers } from './outcome.ts';
import { type StageWorkers, startStageWorkers } from './stage-workers.ts';

// The stage runtime on a real private Redis and DuckDB, with preprocess handlers that misbehave
// on purpose (their episode id says how).

let f: RuntimeFixture;
let workers: StageWorkers | undefined;
/** The preprocess job's state each time a result row was written, by run. */
const stateAtWrite = new Map<string, string>();
let active = 0;
let mostActive = 0;

beforeAll(async () => {
  f = await startRuntimeFixture('stage-worker', {
    PODPREVIEW_ATTEMPTS: '1',
    PODPREVIEW_STAGE_TIMEOUT_MS: '1000',
    PODPREVIEW_CONCURRENCY_PREPROCESS: '1',
    PODPREVIEW_FAILED_JOB_SWEEP_MS: '1000',
  });
});

afterAll(async () => {
  await workers?.stop(1000);
  await f?.close();
});

const watched: ResultsSink = {
  write: async (row: ResultRow) => {
    stateAtWrite.set(row.runId, await f.queues.preprocess.getJobState(row.runId));
    return f.sink.write(row);
  },
  latestForEpisode: (id, v) => f.sink.latestForEpisode(id, v),
  findSucceeded: (id, h, v) => f.sink.findSucceeded(id, h, v),
  forRun: (id) => f.sink.forRun(id),
  finishedSince: (s, l) => f.sink.finishedSince(s, l),
  close: async () => {},
};

const handlers: Partial<StageHandlers> = {
  preprocess: async (input) => {
    active++;
    mostActive = Math.max(mostActive, active);
    try {
      if (input.episodeId.startsWith('done')) return { kind: 'done', result: succeededResult() };
      // A stage that hands on data where a storage key belongs.
      if (input.episodeId.startsWith('bulky'))
        return {
          kind: 'next',
          payload: { ...input, sourceKey: 's', pcmKey: 'x'.repeat(20_000), sampleRateHz: 16_000, durationSec: 60, contentHash: 'a'.repeat(64) },
        };
      // Model inference does not heed the abort signal: this neither.
      if (input.episodeId.startsWith('slow')) await new Promise((r) => setTimeout(r, 2500));
      throw new Error(`storage unavailable for ${input.episodeId}`);
    } finally {
      active--;
    }
  },
};

const submit = async (id: string) =>
  (await enqueueEpisode(f.queues, f.config, EnqueueRequest.parse({ id: `${id}-${randomUUID().slice(0, 6)}`, audioUri: '/tmp/any.mp3' }))).runId;

async function ended(runId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await f.queues.runs.read(runId))?.state === 'queued') {
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('stage runtime', () => {
  it('records a failed job whose worker died before writing its end (the failed-job sweep)', async () => {
    // A worker that fails the job and dies before recording anything: a bare BullMQ worker.
    const spec = stageSpec('preprocess');
    const dying = new Worker(
      spec.queue,
      async () => {
        throw new Error('killed between the job failing and the run record');
      },
      { connection: createRedis(f.redis.url, 'worker'), prefix: queueKeyPrefix(f.config.queuePrefix, spec.queue, false) },
    );
    const runId = await submit('orphan');
    while ((await f.queues.preprocess.getJobState(runId)) !== 'failed') await new Promise((r) => setTimeout(r, 50));
    await dying.close();
    expect((await f.queues.runs.read(runId))?.state).toBe('queued');
    workers = await startStageWorkers({
      config: f.config,
      redis: f.redis.url,
      stages: ['preprocess'],
      handlers,
      results: watched,
      log: createLogger('silent'),
    });
    await ended(runId);
    expect(await f.sink.forRun(runId)).toMatchObject({ status: 'failed', failedStage: 'preprocess', errorCode: 'internal' });
  });

  it('writes the final failure before BullMQ fails the job, so a worker dying in between loses nothing', async () => {
    const runId = await submit('flaky');
    await ended(runId);
    expect(await f.sink.forRun(runId)).toMatchObject({ status: 'failed', errorCode: 'internal' });
    expect(stateAtWrite.get(runId)).toBe('active');
  });

  it('frees a timed-out job’s slot only once its work has stopped: never more jobs at once than the concurrency', async () => {
    mostActive = 0;
    const runs = [await submit('slow'), await submit('slow')];
    for (const runId of runs) await ended(runId);
    for (const runId of runs) expect(await f.sink.forRun(runId)).toMatchObject({ status: 'failed', errorCode: 'stage_timeout' });
    expect(mostActive).toBe(1);
  });

  it('refuses to queue a payload that carries data instead of keys, and says so in the run’s row', async () => {
    const runId = await submit('bulky');
    await ended(runId);
    const row = await f.sink.forRun(runId);
    expect(row).toMatchObject({ status: 'failed', failedStage: 'preprocess', errorCode: 'stage_output_invalid' });
    expect(row?.errorMessage).toMatch(/preprocess produced an invalid ensemble-a payload: jobs carry keys, not data \(limit 10000 bytes\)/);
    expect(await f.queues['ensemble-a'].getJob(runId)).toBeUndefined();
  });

  it('records the owner a run’s jobs carry, and reads the run record’s for jobs queued without one', async () => {
    const queue = async (owner: string | null | undefined, recorded: string | undefined) => {
      const runId = randomUUID();
      const episodeId = `done-${runId.slice(0, 6)}`;
      await f.queues.runs.recordQueued({ runId, episodeId, enqueuedAtMs: Date.now(), ...(recorded ? { owner: recorded } : {}) });
      const data = { v: 1, runId, episodeId, enqueuedAtMs: Date.now(), priority: false, force: true, timingsMs: {}, audioUri: '/tmp/any.mp3' };
      await f.queues.preprocess.add('preprocess', owner === undefined ? data : { ...data, owner }, { jobId: runId });
      return runId;
    };
    // The payload's owner wins (the record is not read); an explicit null is "no owner", also unread.
    const carried = await queue('alice', 'record-owner');
    const none = await queue(null, 'record-owner');
    // A job from an older producer carries no owner: the record's.
    const older = await queue(undefined, 'bob');
    for (const runId of [carried, none, older]) await ended(runId);
    expect((await f.sink.forRun(carried))?.owner).toBe('alice');
    expect((await f.sink.forRun(none))?.owner ?? null).toBeNull();
    expect((await f.sink.forRun(older))?.owner).toBe('bob');
  });
});

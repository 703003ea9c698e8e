import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, createLogger, EnqueueRequest, loadConfig, type ResultRow, type ResultsSink, stageSpec } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import {
  closeQueues,
  createQueues,
  createRedis,
  enqueueEpisode,
  type PrivateRedis,
  queueKeyPrefix,
  type StageQueues,
  startPrivateRedis,
} from '@podpreview/runs';
import type { StageHandlers } from './outcome.ts';
import { type StageWorkers, startStageWorkers } from './stage-workers.ts';

// The stage runtime on a real private Redis and DuckDB, with preprocess handlers that misbehave
// on purpose (their episode id says how).

let redis: PrivateRedis;
let dataDir: string;
let config: Config;
let queues: StageQueues;
let sink: ResultsSink;
let workers: StageWorkers | undefined;
/** The preprocess job's state each time a result row was written, by run. */
const stateAtWrite = new Map<string, string>();
let active = 0;
let mostActive = 0;

beforeAll(async () => {
  redis = await startPrivateRedis();
  dataDir = await mkdtemp(path.join(tmpdir(), 'podpreview-stage-worker-'));
  config = loadConfig({
    REDIS_URL: redis.url,
    PODPREVIEW_DATA_DIR: dataDir,
    PODPREVIEW_QUEUE_PREFIX: `sw${randomUUID().slice(0, 8)}`,
    PODPREVIEW_ATTEMPTS: '1',
    PODPREVIEW_STAGE_TIMEOUT_MS: '1000',
    PODPREVIEW_CONCURRENCY_PREPROCESS: '1',
    PODPREVIEW_FAILED_JOB_SWEEP_MS: '1000',
    LOG_LEVEL: 'silent',
  });
  queues = createQueues(createRedis(redis.url, 'client'), config);
  sink = createResultsSink(config);
});

afterAll(async () => {
  await workers?.stop(1000);
  await closeQueues(queues).catch(() => {});
  await sink?.close();
  await redis?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const watched: ResultsSink = {
  write: async (row: ResultRow) => {
    stateAtWrite.set(row.runId, await queues.preprocess.getJobState(row.runId));
    return sink.write(row);
  },
  latestForEpisode: (id, v) => sink.latestForEpisode(id, v),
  findSucceeded: (id, h, v) => sink.findSucceeded(id, h, v),
  forRun: (id) => sink.forRun(id),
  finishedSince: (s, l) => sink.finishedSince(s, l),
  close: async () => {},
};

const handlers: Partial<StageHandlers> = {
  preprocess: async (input) => {
    active++;
    mostActive = Math.max(mostActive, active);
    try {
      // Model inference does not heed the abort signal: this neither.
      if (input.episodeId.startsWith('slow')) await new Promise((r) => setTimeout(r, 2500));
      throw new Error(`storage unavailable for ${input.episodeId}`);
    } finally {
      active--;
    }
  },
};

const submit = async (id: string) =>
  (await enqueueEpisode(queues, config, EnqueueRequest.parse({ id: `${id}-${randomUUID().slice(0, 6)}`, audioUri: '/tmp/any.mp3' }))).runId;

async function ended(runId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await queues.runs.read(runId))?.state === 'queued') {
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
      { connection: createRedis(redis.url, 'worker'), prefix: queueKeyPrefix(config.queuePrefix, spec.queue, false) },
    );
    const runId = await submit('orphan');
    while ((await queues.preprocess.getJobState(runId)) !== 'failed') await new Promise((r) => setTimeout(r, 50));
    await dying.close();
    expect((await queues.runs.read(runId))?.state).toBe('queued');
    workers = await startStageWorkers({ config, redis: redis.url, stages: ['preprocess'], handlers, results: watched, log: createLogger('silent') });
    await ended(runId);
    expect(await sink.forRun(runId)).toMatchObject({ status: 'failed', failedStage: 'preprocess', errorCode: 'internal' });
  });

  it('writes the final failure before BullMQ fails the job, so a worker dying in between loses nothing', async () => {
    const runId = await submit('flaky');
    await ended(runId);
    expect(await sink.forRun(runId)).toMatchObject({ status: 'failed', errorCode: 'internal' });
    expect(stateAtWrite.get(runId)).toBe('active');
  });

  it('frees a timed-out job’s slot only once its work has stopped: never more jobs at once than the concurrency', async () => {
    mostActive = 0;
    const runs = [await submit('slow'), await submit('slow')];
    for (const runId of runs) await ended(runId);
    for (const runId of runs) expect(await sink.forRun(runId)).toMatchObject({ status: 'failed', errorCode: 'stage_timeout' });
    expect(mostActive).toBe(1);
  });
});

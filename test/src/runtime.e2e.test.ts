import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job } from 'bullmq';
import { closeQueues, createQueues, createRedis, enqueueEpisode, type StageQueues, waitForRuns } from '@podpreview/pipeline/client';
import { type StageHandlers, startStageWorkers } from '@podpreview/pipeline/worker';
import { EnqueueRequest, type ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { startTestEnv, type TestEnv } from './harness.ts';

// The runtime with stand-in stage functions on a real Redis: how it classifies their failures.

let env: TestEnv;
let queues: StageQueues;
let results: ResultsSink;

beforeAll(async () => {
  env = await startTestEnv({ PODPREVIEW_ATTEMPTS: '2', PODPREVIEW_BACKOFF_MS: '50' });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
});

afterAll(async () => {
  await closeQueues(queues);
  await results?.close();
  await env?.cleanup();
});

async function runWith(handlers: Partial<StageHandlers>, id: string) {
  const workers = await startStageWorkers({ config: env.config, redisUrl: env.redis.url, stages: ['preprocess'], handlers, results, log: env.log });
  try {
    const { runId } = await enqueueEpisode(queues, env.config, EnqueueRequest.parse({ id, audioUri: '/nowhere.mp3' }));
    const [status] = await waitForRuns(queues, [runId], { timeoutMs: 30_000 });
    return { status: status!, row: await results.forRun(runId), job: await Job.fromId(queues.preprocess, runId) };
  } finally {
    await workers.stop();
  }
}

describe('stage runtime', () => {
  it('records a stage whose output breaks the next contract as our bug (stage_output_invalid, retried), not as bad input', async () => {
    const handlers: Partial<StageHandlers> = {
      // A bug: the decoded duration is negative. The type allows a number; the contract does not.
      preprocess: async (input) => ({
        kind: 'next',
        payload: { ...input, sourceKey: 's', pcmKey: 'p', sampleRateHz: 16_000, durationSec: -1, contentHash: 'a'.repeat(64) },
      }),
    };
    const { status, row, job } = await runWith(handlers, 'buggy-stage');
    expect(status.state).toBe('failed');
    expect(job!.attemptsMade).toBe(2);
    expect(row).toMatchObject({ status: 'failed', failedStage: 'preprocess', errorCode: 'stage_output_invalid' });
    expect(row!.errorMessage).toMatch(/durationSec/);
    // Nothing reached the next queue.
    expect(await queues['ensemble-a'].getJob(job!.id!)).toBeUndefined();
  });

  it('records a thrown unclassified error as internal after the retries', async () => {
    const { row, job } = await runWith({ preprocess: async () => Promise.reject(new Error('disk on fire')) }, 'crashing-stage');
    expect(job!.attemptsMade).toBe(2);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'internal', errorMessage: 'disk on fire' });
  });
});

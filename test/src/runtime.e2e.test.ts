import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job } from 'bullmq';
import { closeQueues, createQueues, createRedis, deadLetterKey, enqueueEpisode, inflightKey, type StageQueues, waitForRuns } from '@podpreview/runs';
import { type StageHandlers, startStageWorkers } from '@podpreview/pipeline/worker';
import { EnqueueRequest, type ResultRow, type ResultsSink, runCommand, type StageName } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { startTestEnv, type TestEnv } from './harness.ts';

// The runtime with stand-in stage functions on a real Redis and a real results table: how it
// classifies failures, bounds stages in time, keeps rows it cannot write, and answers status.

let env: TestEnv;
let queues: StageQueues;
let results: ResultsSink;

beforeAll(async () => {
  env = await startTestEnv({
    PODPREVIEW_ATTEMPTS: '2',
    PODPREVIEW_BACKOFF_MS: '50',
    PODPREVIEW_STAGE_TIMEOUT_MS: '1000',
    PODPREVIEW_DEAD_LETTER_RETRY_MS: '200',
    PODPREVIEW_KEEP_COMPLETED_JOBS: '0',
  });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
});

afterAll(async () => {
  await closeQueues(queues);
  await results?.close();
  await env?.cleanup();
});

const request = (id: string) => EnqueueRequest.parse({ id, audioUri: '/nowhere.mp3' });

async function runWith(handlers: Partial<StageHandlers>, id: string, sink: ResultsSink = results, stages: StageName[] = ['preprocess']) {
  const workers = await startStageWorkers({ config: env.config, redis: env.redis.url, stages, handlers, results: sink, log: env.log });
  try {
    const { runId } = await enqueueEpisode(queues, env.config, request(id));
    const [status] = await waitForRuns(queues, [runId], { timeoutMs: 30_000 });
    return { runId, status: status!, row: await results.forRun(runId), job: await Job.fromId(queues.preprocess, runId) };
  } finally {
    await workers.stop();
  }
}

/** Ends the run at preprocess with a result, as a duplicate found early would. */
const endsAtOnce: Partial<StageHandlers> = {
  preprocess: async () => ({
    kind: 'done',
    result: {
      status: 'succeeded',
      contentHash: null,
      previewStartSec: 1,
      previewEndSec: 61,
      durationSec: 100,
      speechFraction: 0.9,
      score: 1,
      path: 'audio-only',
      clipKey: 'episodes/x/clip.mp3',
      models: [],
      modelStats: null,
    },
  }),
};

describe('stage runtime', () => {
  it('records a stage whose output breaks the next contract as our bug (stage_output_invalid, retried), not as bad input', async () => {
    const handlers: Partial<StageHandlers> = {
      // A bug: the decoded duration is negative. The type allows a number; the contract does not.
      preprocess: async (input) => ({
        kind: 'next',
        payload: { ...input, sourceKey: 's', pcmKey: 'p', sampleRateHz: 16_000, durationSec: -1, contentHash: 'a'.repeat(64) },
      }),
      'ensemble-a': async () => Promise.reject(new Error('never called: the payload fails its contract at pick-up')),
    };
    const { status, row, runId } = await runWith(handlers, 'buggy-stage', results, ['preprocess', 'ensemble-a']);
    expect(status.state).toBe('failed');
    // Checked once, where ensemble-a picks it up; blamed on preprocess, and retried.
    expect(row).toMatchObject({ status: 'failed', failedStage: 'ensemble-a', errorCode: 'stage_output_invalid' });
    expect(row!.errorMessage).toMatch(/preprocess produced an invalid ensemble-a payload: durationSec/);
    expect((await Job.fromId(queues['ensemble-a'], runId))!.attemptsMade).toBe(2);
  });

  it('records a thrown unclassified error as internal after the retries', async () => {
    const { row, job } = await runWith({ preprocess: async () => Promise.reject(new Error('disk on fire')) }, 'crashing-stage');
    expect(job!.attemptsMade).toBe(2);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'internal', errorMessage: 'disk on fire' });
  });

  it('aborts a stage past its timeout, kills its child process, and records stage_timeout', async () => {
    const pidFiles: string[] = [];
    const hangs: Partial<StageHandlers> = {
      preprocess: async (_input, { signal }) => {
        // A hung tool: `sleep` stands in for an ffmpeg that never returns.
        const pidFile = path.join(env.dataDir, `hung-${pidFiles.length}.pid`);
        pidFiles.push(pidFile);
        await runCommand('sh', ['-c', `echo $$ > ${pidFile}; exec sleep 60`], { signal });
        throw new Error('unreachable: the sleep was killed');
      },
    };
    const { row, job } = await runWith(hangs, 'hung-stage');
    expect(job!.attemptsMade).toBe(2);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'stage_timeout' });
    expect(pidFiles).toHaveLength(2);
    for (const file of pidFiles) {
      const pid = Number((await readFile(file, 'utf8')).trim());
      expect(pid).toBeGreaterThan(1);
      expect(() => process.kill(pid, 0), `sleep ${pid} still alive`).toThrow();
    }
  });

  it('answers a run’s status from its run record after BullMQ dropped the job (PODPREVIEW_KEEP_COMPLETED_JOBS=0)', async () => {
    const { status, job } = await runWith(endsAtOnce, 'kept-nothing');
    expect(job).toBeUndefined();
    expect(status.state).toBe('succeeded');
    expect(status.summary).toMatchObject({ previewStartSec: 1, previewEndSec: 61, clipKey: 'episodes/x/clip.mp3' });
  });

  it('keeps a row the results table refuses in Redis and writes it once the table is back', async () => {
    let down = true;
    const flaky: ResultsSink = {
      write: (row: ResultRow) => (down ? Promise.reject(new Error('results table unavailable')) : results.write(row)),
      latestForEpisode: (id) => results.latestForEpisode(id),
      findSucceeded: (id, hash) => results.findSucceeded(id, hash),
      forRun: (id) => results.forRun(id),
      finishedSince: (since, limit) => results.finishedSince(since, limit),
      close: async () => {},
    };
    const workers = await startStageWorkers({
      config: env.config,
      redis: env.redis.url,
      stages: ['preprocess'],
      handlers: endsAtOnce,
      results: flaky,
      log: env.log,
    });
    try {
      const { runId } = await enqueueEpisode(queues, env.config, request('sink-down'));
      const [status] = await waitForRuns(queues, [runId], { timeoutMs: 30_000 });
      expect(status!.state).toBe('succeeded');
      expect(await results.forRun(runId)).toBeUndefined();
      expect(await queues.redis.llen(deadLetterKey(env.config.queuePrefix))).toBe(1);
      down = false;
      for (let i = 0; i < 100 && (await queues.redis.llen(deadLetterKey(env.config.queuePrefix))) > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await queues.redis.llen(deadLetterKey(env.config.queuePrefix))).toBe(0);
      expect(await results.forRun(runId)).toMatchObject({ runId, status: 'succeeded' });
    } finally {
      await workers.stop();
    }
  });
});

describe('one run per episode', () => {
  it('takes over a claim whose run is gone instead of joining it', async () => {
    await queues.redis.set(inflightKey(env.config.queuePrefix, 'orphaned'), 'run-that-crashed', 'PX', 3_600_000);
    const receipt = await enqueueEpisode(queues, env.config, request('orphaned'));
    expect(receipt.joined).toBe(false);
    expect(receipt.runId).not.toBe('run-that-crashed');
    expect(await queues.redis.get(inflightKey(env.config.queuePrefix, 'orphaned'))).toBe(receipt.runId);
    // A second request now joins the live run.
    expect(await enqueueEpisode(queues, env.config, request('orphaned'))).toMatchObject({ runId: receipt.runId, joined: true });
  });
});

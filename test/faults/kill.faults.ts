import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job } from 'bullmq';
import { closeQueues, createQueues, createRedis, enqueueEpisode, type StageQueues, waitForRuns } from '@podpreview/runs';
import { EnqueueRequest, type ResultsSink, STAGE_NAMES, type StageName } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { kill9, startFaultWorker, stop, tally, until, type WorkerProcess } from './world.ts';

// kill -9 of the worker holding a job, in every stage, twice for the same job: the run must
// finish once. One worker process per stage, each pausing before its jobs so the kill lands
// mid-job even where the stage itself takes milliseconds.

const PAUSE_MS = 1500;
let env: TestEnv;
let queues: StageQueues;
let results: ResultsSink;
const workers = new Map<StageName, WorkerProcess>();

beforeAll(async () => {
  env = await startTestEnv({
    // Short locks so each resume takes seconds; two stalls allowed, as in production.
    PODPREVIEW_LOCK_DURATION_MS: '2000',
    PODPREVIEW_STALLED_INTERVAL_MS: '1000',
    PODPREVIEW_MAX_STALLED_COUNT: '2',
    PODPREVIEW_LOG_LEVEL: 'warn',
  });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
  await Promise.all(
    STAGE_NAMES.map(async (stage) => {
      const w = startFaultWorker(env.env, stage, PAUSE_MS);
      workers.set(stage, w);
      await w.ready;
    }),
  );
});

afterAll(async () => {
  await Promise.all([...workers.values()].map(stop));
  await closeQueues(queues);
  await results?.close();
  await env?.cleanup();
});

describe('kill -9 mid-job', () => {
  it('in every stage, twice for the same job: the run finishes once', async () => {
    const episodeId = 'killed-twice-everywhere';
    const { runId } = await enqueueEpisode(
      queues,
      env.config,
      EnqueueRequest.parse({ id: episodeId, audioUri: path.join(SAMPLES_DIR, 'short-note.ogg'), transcriptUri: path.join(SAMPLES_DIR, 'short-note.vtt') }),
    );
    const t0 = Date.now();
    let lastKillMs = 0;
    for (const stage of STAGE_NAMES) {
      let started = 0;
      for (let kill = 1; kill <= 2; kill++) {
        // Taken by a live worker: active, and started once more than before the last kill (a
        // dead worker's job also looks active until its lock lapses).
        started = await until(
          `${stage} job taken (kill ${kill})`,
          async () => {
            const job = await Job.fromId(queues[stage], runId);
            return job && (await job.getState()) === 'active' && job.attemptsStarted > started ? job.attemptsStarted : undefined;
          },
          60_000,
        );
        await kill9(workers.get(stage)!);
        lastKillMs = Date.now();
        expect(await queues[stage].getJobState(runId), `${stage}: the killed worker's job stays active until its lock lapses`).toBe('active');
        const fresh = startFaultWorker(env.env, stage, PAUSE_MS);
        workers.set(stage, fresh);
        await fresh.ready;
      }
    }
    const [status] = await waitForRuns(queues, [runId], { timeoutMs: 120_000 });
    const recoverySec = (Date.now() - lastKillMs) / 1000;
    expect(status!.state, status!.reason).toBe('succeeded');
    for (const stage of STAGE_NAMES) {
      const job = await Job.fromId(queues[stage], runId);
      expect(job!.stalledCounter, `${stage} stalls`).toBe(2);
    }
    const row = await results.forRun(runId);
    expect(row).toMatchObject({ status: 'succeeded', episodeId });
    const result = await tally('kill -9 in each stage, twice per job', queues, results, [{ episodeId, runId }], {
      recoverySec,
      notes: `10 kills in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    });
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, succeeded: 1 });
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, enqueueEpisode, type StageQueues, waitForRuns } from '@podpreview/runs';
import { createHandlers, createServices, type StageWorkers, startStageWorkers } from '@podpreview/pipeline/worker';
import { EnqueueRequest, type ResultRow, type ResultsSink, STAGE_NAMES } from '@podpreview/shared';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { tally, until } from './world.ts';

// The results table down while runs end: their rows wait in Redis's dead-letter list, which the
// tally counts as not yet delivered (never as delivered, never as lost), and reach the table
// once it is back.

let env: TestEnv;
let queues: StageQueues;
let workers: StageWorkers;
let services: ReturnType<typeof createServices>;
let down = true;

beforeAll(async () => {
  env = await startTestEnv({ PODPREVIEW_DEAD_LETTER_RETRY_MS: '500' });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  services = createServices(env.config, env.log);
  const table = services.results;
  const flaky: ResultsSink = {
    write: (row: ResultRow) => (down ? Promise.reject(new Error('results table unavailable')) : table.write(row)),
    latestForEpisode: (id, v) => table.latestForEpisode(id, v),
    findSucceeded: (id, h, v) => table.findSucceeded(id, h, v),
    forRun: (id) => table.forRun(id),
    finishedSince: (s, l) => table.finishedSince(s, l),
    close: () => table.close(),
  };
  const handlers = await createHandlers([...STAGE_NAMES], { ...services, results: flaky });
  workers = await startStageWorkers({ config: env.config, redis: env.redis.url, stages: [...STAGE_NAMES], handlers, results: flaky, log: env.log });
});

afterAll(async () => {
  await workers?.stop();
  await services?.close();
  await closeQueues(queues);
  await env?.cleanup();
});

describe('results table down', () => {
  it('counts rows waiting in the dead-letter list as not yet delivered, and they all arrive once it is back', async () => {
    const submitted: { episodeId: string; runId: string }[] = [];
    for (const [i, f] of ['short-note.ogg', 'news-brief.mp3', 'tech-talk.mp3'].entries()) {
      const r = await enqueueEpisode(queues, env.config, EnqueueRequest.parse({ id: `table-down-${i}`, audioUri: path.join(SAMPLES_DIR, f) }));
      submitted.push({ episodeId: r.episodeId, runId: r.runId });
    }
    await waitForRuns(
      queues,
      submitted.map((s) => s.runId),
      { timeoutMs: 120_000 },
    );
    const during = await tally('results table down: runs ended, rows waiting', queues, services.results, submitted, {
      notes: 'tallied while the table is down: the rows wait in Redis',
    });
    record(during);
    expect(during).toMatchObject({ rowsWritten: 0, deadLettered: submitted.length, lost: 0 });
    down = false;
    const backAt = Date.now();
    await until(
      'the dead-lettered rows written',
      async () => (await Promise.all(submitted.map((s) => services.results.forRun(s.runId)))).every(Boolean),
      60_000,
      100,
    );
    const after = await tally('results table back: rows written', queues, services.results, submitted, {
      recoverySec: (Date.now() - backAt) / 1000,
    });
    record(after);
    expect(after).toMatchObject({ rowsWritten: submitted.length, deadLettered: 0, lost: 0, duplicated: 0, succeeded: submitted.length });
  });
});

import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeQueues,
  createQueues,
  createRedis,
  enqueueEpisode,
  episodeAnswer,
  latestRunFor,
  runStatus,
  type StageQueues,
  waitForRuns,
} from '@podpreview/runs';
import { createHandlers, createServices, fallbackRunIdOf, type LocalPipeline, startLocalPipeline, startStageWorkers } from '@podpreview/pipeline/worker';
import { type Config, EnqueueRequest, loadConfig, loadVariantConfig, type ResultsSink, STAGE_NAMES, type StageName } from '@podpreview/shared';
import { verifyCallback } from '@podpreview/client';
import { type ApiServer, startApiServer } from '@podpreview/producer/serve';
import { REPO_ROOT, SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

// Production and its fallback variant (variants/fallback.env: its own queues, CPU models without
// sed-mini and voice-embed) on one Redis, one blob store and one results table, both on the real
// pipeline. Production's workers are started here with a stage made to fail (an injected fault:
// a GPU fleet gone bad) or missing (a fleet that never comes, so runs pass their deadline).

const SECRET = 'fallback-callback-secret-0123456789';
const CLI = path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs');
const NOTE = path.join(SAMPLES_DIR, 'short-note.ogg');

let env: TestEnv;
let fallback: LocalPipeline;
let fallbackConfig: Config;
let queues: StageQueues;
let results: ResultsSink;
let api: ApiServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

/** A platform's callback endpoint: records every delivery. */
async function startReceiver() {
  const bodies: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      headers.push(req.headers);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    bodies,
    headers,
    async next(runId: string, timeoutMs = 60_000): Promise<{ body: string; headers: http.IncomingHttpHeaders }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = bodies.findIndex((b) => (JSON.parse(b) as { run: { runId: string } }).run.runId === runId);
        if (i >= 0) return { body: bodies[i]!, headers: headers[i]! };
        if (Date.now() > deadline) throw new Error(`no callback for ${runId} (got ${bodies.length})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

/** Production's workers for `stages`, with `broken`'s stage function replaced by one that always fails (retryable, like a crashed GPU). */
async function productionWorkers(config: Config, o: { stages?: StageName[]; broken?: StageName } = {}) {
  const stages = o.stages ?? [...STAGE_NAMES];
  const services = createServices(config, env.log);
  const handlers = await createHandlers(stages, services);
  if (o.broken) {
    handlers[o.broken] = async () => {
      throw new Error(`injected: ${o.broken} is broken in production`);
    };
  }
  const workers = await startStageWorkers({ config, redis: env.redis.url, stages, handlers, results: services.results, log: env.log });
  return {
    stop: async () => {
      await workers.stop();
      await services.close();
    },
  };
}

async function getEpisode(id: string): Promise<{ runId: string; status: string; variant: string; result: { variant: string } | null }> {
  const res = await fetch(`${api.url}/v1/episodes/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

const modelIds = async (runId: string) => ((await results.forRun(runId))?.models ?? []).map((m) => m.id);

beforeAll(async () => {
  receiver = await startReceiver();
  env = await startTestEnv({
    PODPREVIEW_ATTEMPTS: '2',
    PODPREVIEW_BACKOFF_MS: '50',
    PODPREVIEW_FALLBACK_QUEUE_PREFIX: 'fallback',
    // Failures only here; the deadline test turns the deadline on for its own workers.
    PODPREVIEW_FALLBACK_AFTER_MS: '0',
    PODPREVIEW_HTTP_PORT: '0',
    PODPREVIEW_CALLBACK_SECRETS: `local:${SECRET}`,
    PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'true',
    PODPREVIEW_CALLBACK_BACKOFF_MS: '100',
  });
  // The shipped variant file, over this test's environment (its Redis, data dir and results table).
  fallbackConfig = loadVariantConfig('variants/fallback.env', REPO_ROOT, env.env);
  fallback = await startLocalPipeline(fallbackConfig, env.log);
  results = fallback.fleet.services.results;
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  api = await startApiServer(env.config, { exitOnSignal: false });
});

afterAll(async () => {
  await api?.close();
  await fallback?.stop();
  if (queues) await closeQueues(queues);
  await env?.cleanup();
  await receiver?.close();
});

describe('the fallback variant', () => {
  it('takes over a run production failed: its answer says fallback, cheap models only, the callback comes from it; a later production success supersedes it', async () => {
    expect(fallbackConfig).toMatchObject({ variant: 'fallback', queuePrefix: 'fallback', fallback: undefined, dataDir: env.config.dataDir });
    const broken = await productionWorkers(env.config, { broken: 'ensemble-a' });
    let runId: string;
    let fallbackRunId: string;
    try {
      const res = await fetch(`${api.url}/v1/episodes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'rescued', audioUri: NOTE, callbackUrl: receiver.url }),
      });
      expect(res.status).toBe(202);
      runId = ((await res.json()) as { runId: string }).runId;
      const [p] = await waitForRuns(queues, [runId], { timeoutMs: 60_000 });
      expect(p).toMatchObject({ state: 'failed', failedStage: 'ensemble-a', variant: 'production' });
      fallbackRunId = fallbackRunIdOf(runId);
      // Found through production's own queues: an id it does not know is looked for among the fallback's.
      const [f] = await waitForRuns(queues, [fallbackRunId], { timeoutMs: 90_000 });
      expect(f, f!.reason).toMatchObject({ state: 'succeeded', variant: 'fallback', enqueuedAtMs: p!.enqueuedAtMs });
      expect((await runStatus(queues, runId)).fallbackRunId).toBe(fallbackRunId);
    } finally {
      await broken.stop();
    }

    // Both rows in the one table, each saying which variant wrote it.
    expect(await results.forRun(runId)).toMatchObject({ status: 'failed', variant: 'production', errorCode: 'internal' });
    expect(await results.forRun(fallbackRunId)).toMatchObject({ status: 'succeeded', variant: 'fallback' });
    expect(await modelIds(fallbackRunId)).toContain('silero-vad');
    expect(await modelIds(fallbackRunId)).not.toEqual(expect.arrayContaining(['sed-mini']));
    expect(await modelIds(fallbackRunId)).not.toEqual(expect.arrayContaining(['voice-embed']));

    // The episode's answer, wherever it is asked for, is the fallback's.
    expect(await latestRunFor(queues, 'rescued')).toBe(fallbackRunId);
    expect(await getEpisode('rescued')).toMatchObject({ runId: fallbackRunId, status: 'succeeded', variant: 'fallback', result: { variant: 'fallback' } });
    const got = await promisify(execFile)(process.execPath, [CLI, 'get', 'rescued', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      timeout: 30_000,
    });
    expect(JSON.parse(got.stdout)).toMatchObject({ runId: fallbackRunId, variant: 'fallback', status: 'succeeded' });
    // The submitter's callback went with the run to the fallback, and tells of its success.
    const delivery = await receiver.next(fallbackRunId);
    expect(verifyCallback(SECRET, delivery.body, delivery.headers)).toMatchObject({ ok: true });
    expect(JSON.parse(delivery.body)).toMatchObject({ run: { runId: fallbackRunId, status: 'succeeded', variant: 'fallback' } });
    // None for production's failed run: its callback went over, not out.
    expect(receiver.bodies.map((b) => (JSON.parse(b) as { run: { runId: string } }).run.runId)).not.toContain(runId);

    // Production is mended and runs the episode again: its own run in full (it never reuses the
    // fallback's result), whose success is the answer from then on.
    const mended = await productionWorkers(env.config);
    try {
      const again = await enqueueEpisode(queues, env.config, EnqueueRequest.parse({ id: 'rescued', audioUri: NOTE, priority: true }));
      const [s] = await waitForRuns(queues, [again.runId], { timeoutMs: 90_000 });
      expect(s, s!.reason).toMatchObject({ state: 'succeeded', variant: 'production' });
      expect(await modelIds(again.runId)).toEqual(expect.arrayContaining(['silero-vad', 'sed-mini']));
      expect((await episodeAnswer({ queues, results }, 'rescued'))?.runId).toBe(again.runId);
      expect(await getEpisode('rescued')).toMatchObject({ runId: again.runId, variant: 'production', result: { variant: 'production' } });
    } finally {
      await mended.stop();
    }
  });

  it('takes over a run past PODPREVIEW_FALLBACK_AFTER_MS, answers meanwhile, and production’s late success supersedes it', async () => {
    const late = loadConfig({ ...env.env, PODPREVIEW_FALLBACK_AFTER_MS: '1000' });
    // No ensemble-a fleet: production's run waits there past its deadline.
    const partial = await productionWorkers(late, { stages: ['preprocess', 'ensemble-b', 'selection', 'sink'] });
    try {
      const { runId } = await enqueueEpisode(queues, late, EnqueueRequest.parse({ id: 'late', audioUri: NOTE }));
      const [f] = await waitForRuns(queues, [fallbackRunIdOf(runId)], { timeoutMs: 90_000 });
      expect(f, f!.reason).toMatchObject({ state: 'succeeded', variant: 'fallback' });
      expect(['queued', 'running']).toContain((await runStatus(queues, runId)).state);
      expect(await getEpisode('late')).toMatchObject({ runId: fallbackRunIdOf(runId), variant: 'fallback', status: 'succeeded' });

      // The fleet comes back: production's run of the same submission finishes and is the answer.
      const stageA = await productionWorkers(late, { stages: ['ensemble-a'] });
      try {
        const [p] = await waitForRuns(queues, [runId], { timeoutMs: 90_000 });
        expect(p, p!.reason).toMatchObject({ state: 'succeeded', variant: 'production' });
      } finally {
        await stageA.stop();
      }
      expect(await getEpisode('late')).toMatchObject({ runId, variant: 'production', status: 'succeeded' });
      expect(await results.forRun(fallbackRunIdOf(runId))).toMatchObject({ status: 'succeeded', variant: 'fallback' });
    } finally {
      await partial.stop();
    }
  });

  it('never takes over bad input (it would fail there too)', async () => {
    const prod = await productionWorkers(env.config, { stages: ['preprocess'] });
    try {
      const { runId } = await enqueueEpisode(queues, env.config, EnqueueRequest.parse({ id: 'missing', audioUri: path.join(env.dataDir, 'no-such.mp3') }));
      // The job is failed only once its run's end (and any hand-over) has been recorded.
      for (let i = 0; (await queues.preprocess.getJobState(runId)) !== 'failed'; i++) {
        if (i > 600) throw new Error('preprocess job never failed');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await runStatus(queues, runId)).toMatchObject({ state: 'failed', variant: 'production' });
      expect((await runStatus(queues, runId)).fallbackRunId).toBeUndefined();
      expect((await runStatus(queues, fallbackRunIdOf(runId))).state).toBe('unknown');
    } finally {
      await prod.stop();
    }
  });

  it('takes low-priority episodes straight away with PODPREVIEW_FALLBACK_NORMAL_PRIORITY; priority ones stay in production', async () => {
    const routing = loadConfig({ ...env.env, PODPREVIEW_FALLBACK_NORMAL_PRIORITY: 'true' });
    const q = createQueues(createRedis(env.redis.url, 'client'), routing);
    try {
      const low = await enqueueEpisode(q, routing, EnqueueRequest.parse({ id: 'routed', audioUri: NOTE }));
      expect(low.variant).toBe('fallback');
      const [s] = await waitForRuns(q, [low.runId], { timeoutMs: 90_000 });
      expect(s, s!.reason).toMatchObject({ state: 'succeeded', variant: 'fallback' });
      expect(await latestRunFor(q, 'routed')).toBe(low.runId);
      const urgent = await enqueueEpisode(q, routing, EnqueueRequest.parse({ id: 'routed-urgent', audioUri: NOTE, priority: true }));
      expect(urgent.variant).toBe('production');
      expect(await q.preprocess.getJob(urgent.runId)).toBeDefined();
      expect(await q.fallback!.preprocess.getJob(urgent.runId)).toBeUndefined();
    } finally {
      await closeQueues(q);
    }
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeQueues,
  createQueues,
  createRedis,
  PRIORITY_NORMAL,
  PRIORITY_URGENT,
  startPrivateRedis,
  type PrivateRedis,
  type StageQueues,
} from '@podpreview/runs';
import { createLogger, loadConfig, type Config, type ResultRow, type ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { createApi } from './api.ts';
import { startApiServer } from './serve.ts';

// The HTTP API against a real private redis-server: no worker runs, so jobs stay queued.

const BODY_LIMIT = 1024;
/** Inside the API's input roots (PODPREVIEW_INPUT_ROOTS below); it need not exist to be queued. */
const A_MP3 = '/srv/podcasts/a.mp3';
const problem = (code: string) => ({ type: `urn:podpreview:problem:${code}` });

interface World {
  redis: PrivateRedis;
  dataDir: string;
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  server: Server;
  base: string;
  stop(): Promise<void>;
}

async function startWorld(overrides: Record<string, string> = {}): Promise<World> {
  const redis = await startPrivateRedis();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'podpreview-api-test-'));
  const config = loadConfig({
    REDIS_URL: redis.url,
    PODPREVIEW_DATA_DIR: dataDir,
    PODPREVIEW_QUEUE_PREFIX: `api${randomUUID().slice(0, 8)}`,
    PODPREVIEW_HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    PODPREVIEW_INPUT_ROOTS: '/srv/podcasts,/tmp',
    PODPREVIEW_INPUT_BUCKETS: 'bucket',
    ...overrides,
    LOG_LEVEL: 'silent',
  });
  const queues = createQueues(createRedis(redis.url, 'client'), config);
  const results = createResultsSink(config);
  const app = createApi({ config, queues, results, log: createLogger('silent') });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  return {
    redis,
    dataDir,
    config,
    queues,
    results,
    server,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await closeQueues(queues).catch(() => {});
      await results.close();
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const post = (w: World, body: unknown, raw = false) =>
  fetch(`${w.base}/v1/episodes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });

const get = (w: World, id: string) => fetch(`${w.base}/v1/episodes/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(10_000) });

const uniqueId = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}`;

describe('HTTP API on a private Redis', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  describe('POST /v1/episodes', () => {
    it('accepts a valid request with 202 and queues a preprocess job under the run id at normal priority', async () => {
      const id = uniqueId('normal');
      const res = await post(w, { id, audioUri: '/tmp/does-not-matter.mp3' });
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: string; jobId: string; runId: string; joined: boolean };
      expect(body).toMatchObject({ id, joined: false });
      expect(body.runId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.jobId).toBe(body.runId);
      expect(res.headers.get('location')).toBe(`/v1/episodes/${id}/runs/${body.runId}`);

      const job = await w.queues.preprocess.getJob(body.jobId);
      expect(job, 'preprocess job in Redis').toBeDefined();
      expect(job!.opts.priority).toBe(PRIORITY_NORMAL);
      expect(PRIORITY_NORMAL).toBe(100);
      expect(job!.data).toMatchObject({ runId: body.runId, episodeId: id, audioUri: '/tmp/does-not-matter.mp3', priority: false, force: false });
      expect(['waiting', 'prioritized']).toContain(await job!.getState());
      // Nothing is put on later stages until preprocess has run.
      expect(await w.queues.sink.getJob(body.jobId)).toBeUndefined();
    });

    it('puts `priority: true` at the front with priority 1 and carries the transcript', async () => {
      const id = uniqueId('urgent');
      const res = await post(w, { id, audioUri: 'gs://bucket/ep.mp3', transcriptUri: 'gs://bucket/ep.vtt', priority: true });
      expect(res.status).toBe(202);
      const { jobId } = (await res.json()) as { jobId: string };
      const job = await w.queues.preprocess.getJob(jobId);
      expect(job!.opts.priority).toBe(PRIORITY_URGENT);
      expect(PRIORITY_URGENT).toBe(1);
      expect(job!.data).toMatchObject({ priority: true, transcriptUri: 'gs://bucket/ep.vtt' });
      // An urgent job is taken before normal ones already waiting.
      const next = await w.queues.preprocess.getPrioritized(0, 0);
      expect(next[0]?.id).toBe(jobId);
    });

    it('answers malformed JSON with 400 invalid_json', async () => {
      const res = await post(w, '{"id": "x", "audioUri": ', true);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ...problem('invalid_json') });
    });

    it.each([
      ['bad id characters', { id: 'bad id/../x', audioUri: A_MP3 }, ['id']],
      ['an id starting with a dot', { id: '.hidden', audioUri: A_MP3 }, ['id']],
      ['missing audioUri', { id: 'ok-id' }, ['audioUri']],
      ['an ftp audioUri', { id: 'ok-id', audioUri: 'ftp://example.com/a.mp3' }, ['audioUri']],
      ['priority: "yes"', { id: 'ok-id', audioUri: A_MP3, priority: 'yes' }, ['priority']],
      ['several bad fields at once', { id: '', audioUri: 5, force: 'no' }, ['id', 'audioUri', 'force']],
    ])('answers %s with 400 and a fields array naming each bad field', async (_name, body, fields) => {
      const res = await post(w, body);
      expect(res.status).toBe(400);
      const reply = (await res.json()) as { type: string; errors: { field: string; message: string }[] };
      expect(reply.type).toBe('urn:podpreview:problem:invalid_request');
      expect([...new Set(reply.errors.map((f) => f.field))].sort()).toEqual([...fields].sort());
      for (const f of reply.errors) expect(f.message.length).toBeGreaterThan(0);
    });

    it('answers an unknown extra field with 400 and names it', async () => {
      const res = await post(w, { id: 'ok-id', audioUri: A_MP3, colour: 'blue' });
      expect(res.status).toBe(400);
      const reply = (await res.json()) as { errors: { field: string; message: string }[] };
      expect(reply.errors).toHaveLength(1);
      // zod reports unrecognised keys on the object itself, so the key is named in the message.
      expect(`${reply.errors[0]!.field} ${reply.errors[0]!.message}`).toContain('colour');
    });

    it('answers a non-object body (JSON array) with 400', async () => {
      const res = await post(w, [{ id: 'ok-id', audioUri: A_MP3 }]);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ...problem('invalid_request') });
    });

    it('answers a body over PODPREVIEW_HTTP_BODY_LIMIT_BYTES with 413 and enqueues nothing', async () => {
      const id = uniqueId('big');
      const before = await w.queues.preprocess.count();
      const res = await post(w, { id, audioUri: A_MP3, transcriptUri: `/srv/podcasts/${'x'.repeat(BODY_LIMIT)}.vtt` });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ ...problem('body_too_large'), limitBytes: BODY_LIMIT });
      expect(await w.queues.preprocess.count()).toBe(before);
      expect((await get(w, id)).status).toBe(404);
    });

    it('accepts a body just under the limit', async () => {
      const id = uniqueId('edge');
      const base = JSON.stringify({ id, audioUri: A_MP3, transcriptUri: '/srv/podcasts/.vtt' });
      const pad = BODY_LIMIT - base.length - 10;
      const res = await post(w, { id, audioUri: A_MP3, transcriptUri: `/srv/podcasts/${'y'.repeat(pad)}.vtt` });
      expect(res.status).toBe(202);
    });

    it('joins a run still queued for the same id, and starts a new one with force', async () => {
      const id = uniqueId('join');
      const first = (await (await post(w, { id, audioUri: A_MP3 })).json()) as { runId: string; joined: boolean };
      expect(first.joined).toBe(false);

      const second = await post(w, { id, audioUri: A_MP3 });
      expect(second.status).toBe(202);
      expect(await second.json()).toMatchObject({ id, runId: first.runId, jobId: first.runId, joined: true });
      // Joining adds no job.
      expect(await w.queues.preprocess.getJobCountByTypes('waiting', 'prioritized')).toBeGreaterThan(0);
      const jobsForId = (await w.queues.preprocess.getJobs(['waiting', 'prioritized'])).filter((j) => j.data.episodeId === id);
      expect(jobsForId).toHaveLength(1);

      const forced = await post(w, { id, audioUri: A_MP3, force: true });
      expect(forced.status).toBe(202);
      const f = (await forced.json()) as { runId: string; joined: boolean };
      expect(f.joined).toBe(false);
      expect(f.runId).not.toBe(first.runId);
      expect((await w.queues.preprocess.getJob(f.runId))!.data).toMatchObject({ force: true, episodeId: id });

      // The newest run is what GET reports from now on.
      const status = (await (await get(w, id)).json()) as { runId: string };
      expect(status.runId).toBe(f.runId);
    });

    it('answers a body that is not declared as JSON with 415', async () => {
      const res = await fetch(`${w.base}/v1/episodes`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ id: 'ok-id', audioUri: A_MP3 }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ ...problem('unsupported_media_type'), status: 415 });
    });

    // The in-flight claim is one SET NX in Redis, so exactly one of simultaneous requests wins.
    it('joins simultaneous POSTs for the same id into one run', async () => {
      const id = uniqueId('race');
      const replies = await Promise.all(
        Array.from({ length: 5 }, async () => (await (await post(w, { id, audioUri: A_MP3 })).json()) as { runId: string; joined: boolean }),
      );
      expect(new Set(replies.map((r) => r.runId)).size).toBe(1);
      expect(replies.filter((r) => !r.joined)).toHaveLength(1);
    });

    it('does not join another episode’s run', async () => {
      const a = (await (await post(w, { id: uniqueId('a'), audioUri: A_MP3 })).json()) as { runId: string; joined: boolean };
      const b = (await (await post(w, { id: uniqueId('b'), audioUri: A_MP3 })).json()) as { runId: string; joined: boolean };
      expect(b.joined).toBe(false);
      expect(b.runId).not.toBe(a.runId);
    });
  });

  describe('GET /v1/episodes/:id', () => {
    it('answers 404 for an unknown id', async () => {
      const res = await get(w, uniqueId('never-posted'));
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ ...problem('not_found') });
    });

    it('answers 400 for an id outside the alphabet', async () => {
      const res = await get(w, '.bad id');
      expect(res.status).toBe(400);
      const reply = (await res.json()) as { errors: { field: string }[] };
      expect(reply.errors.map((f) => f.field)).toEqual(['id']);
    });

    it('answers 200 with the queued run and its stages for a known id', async () => {
      const id = uniqueId('status');
      const { runId } = (await (await post(w, { id, audioUri: A_MP3 })).json()) as { runId: string };
      const res = await get(w, id);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id: string; runId: string; status: string; stages: Record<string, string>; result: unknown; clip: unknown };
      expect(body.id).toBe(id);
      expect(body.runId).toBe(runId);
      // The product's words, not BullMQ's (`prioritized`, `absent`).
      expect(body.status).toBe('queued');
      expect(body.stages).toEqual({ preprocess: 'queued', 'ensemble-a': 'pending', 'ensemble-b': 'pending', selection: 'pending', sink: 'pending' });
      expect(body.result).toBeNull();
      expect(body.clip).toBeNull();
    });

    it('answers an unknown route with 404 JSON', async () => {
      const res = await fetch(`${w.base}/v2/nothing`, { signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ ...problem('not_found') });
    });
  });
});

describe('HTTP API when Redis is down', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    // Proves the API worked before the outage.
    expect((await post(w, { id: 'before-outage', audioUri: A_MP3 })).status).toBe(202);
    w.redis.process.kill('SIGKILL');
    await new Promise((r) => (w.redis.process.exitCode !== null || w.redis.process.signalCode !== null ? r(undefined) : w.redis.process.once('exit', r)));
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('answers POST with 503 within a few seconds instead of hanging', async () => {
    // post() aborts after 10 s, so a hanging request fails this test instead of passing late.
    const res = await post(w, { id: 'during-outage', audioUri: A_MP3 });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ...problem('unavailable') });
  });

  it('answers GET with 503 within a few seconds instead of hanging', async () => {
    const res = await get(w, 'before-outage');
    expect(res.status).toBe(503);
  });
});

describe('HTTP API security', () => {
  const PLATFORM = 'platform-token-0123456789abcdef';
  const READER = 'reader-token-0123456789abcdef';
  const SECOND = 'second-token-0123456789abcdef';
  let w: World;
  beforeAll(async () => {
    w = await startWorld({
      PODPREVIEW_API_TOKENS: `platform:${PLATFORM}:priority+force,reader:${READER},second:${SECOND}`,
      PODPREVIEW_API_RATE_LIMIT_PER_MIN: '20',
    });
  });
  afterAll(async () => {
    await w?.stop();
  });
  const as = (token: string | undefined, body: unknown) =>
    fetch(`${w.base}/v1/episodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });

  it('counts requests by route and outcome and times enqueues on /metrics, only with a credential', async () => {
    expect((await fetch(`${w.base}/metrics`)).status).toBe(401);
    await as(READER, { id: uniqueId('counted'), audioUri: A_MP3 });
    const text = await (await fetch(`${w.base}/metrics`, { headers: { authorization: `Bearer ${READER}` } })).text();
    expect(text).toMatch(/podpreview_api_requests_total\{method="POST",route="\/v1\/episodes",status="202"\} \d+/);
    expect(text).toMatch(/podpreview_api_enqueue_seconds_count\{outcome="new"\} \d+/);
    expect(text).not.toMatch(/route="\/v1\/episodes\/counted/);
  });

  it('answers GET /version with the build and models, only with a credential', async () => {
    expect((await fetch(`${w.base}/version`)).status).toBe(401);
    const res = await fetch(`${w.base}/version`, { headers: { authorization: `Bearer ${READER}` } });
    expect(res.status).toBe(200);
    const v = (await res.json()) as { build: { fingerprint: string; node: string; packages: unknown[] }; models: { id: string; sha256: string }[] };
    expect(v.build.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(v.build.node).toBe(process.version);
    expect(v.build.packages.length).toBeGreaterThan(100);
    expect(v.models.map((m) => m.id)).toContain('silero-vad');
  });

  it('refuses a missing or wrong credential with 401 and enqueues nothing', async () => {
    const before = await w.queues.preprocess.count();
    for (const token of [undefined, 'wrong-token-0123456789abcdef', `${PLATFORM}x`]) {
      const res = await as(token, { id: uniqueId('anon'), audioUri: A_MP3 });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toMatchObject(problem('unauthorized'));
    }
    expect((await fetch(`${w.base}/v1/episodes/some-id`)).status).toBe(401);
    expect(await w.queues.preprocess.count()).toBe(before);
  });

  it('lets a credential submit, and priority or force only with their scopes', async () => {
    expect((await as(READER, { id: uniqueId('ok'), audioUri: A_MP3 })).status).toBe(202);
    for (const extra of [{ priority: true }, { force: true }]) {
      const res = await as(READER, { id: uniqueId('jump'), audioUri: A_MP3, ...extra });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject(problem('forbidden'));
      expect((await as(PLATFORM, { id: uniqueId('jump'), audioUri: A_MP3, ...extra })).status).toBe(202);
    }
  });

  it.each([
    ['a file outside the input roots', { audioUri: '/etc/passwd' }, 'audioUri'],
    ['a transcript outside the input roots', { audioUri: A_MP3, transcriptUri: '/etc/hosts' }, 'transcriptUri'],
    ['a path climbing out of a root', { audioUri: '/srv/podcasts/../../etc/passwd' }, 'audioUri'],
    ['a bucket not listed', { audioUri: 'gs://someone-elses/a.mp3' }, 'audioUri'],
    ['a URL with credentials', { audioUri: 'https://user:pw@example.com/a.mp3' }, 'audioUri'],
  ])('refuses %s with 400 input_not_allowed, echoing no resolved path', async (_name, uris, field) => {
    const res = await as(PLATFORM, { id: uniqueId('sandbox'), ...uris });
    expect(res.status).toBe(400);
    const reply = (await res.json()) as { type: string; errors: { field: string; message: string }[] };
    expect(reply.type).toBe('urn:podpreview:problem:input_not_allowed');
    expect(reply.errors.map((e) => e.field)).toEqual([field]);
    expect(JSON.stringify(reply)).not.toMatch(/\/etc\//);
  });

  it('shows a failed run’s code but not its message (paths, tool output) to clients', async () => {
    const id = uniqueId('failed');
    const row: ResultRow = {
      runId: `run-${id}`,
      episodeId: id,
      contentHash: null,
      status: 'failed',
      previewStartSec: null,
      previewEndSec: null,
      durationSec: null,
      speechFraction: null,
      score: null,
      path: null,
      clipKey: null,
      failedStage: 'preprocess',
      errorClass: 'CorruptAudioError',
      errorCode: 'corrupt_audio',
      errorMessage: 'cannot decode audio /srv/podcasts/secret/a.mp3: Invalid data found',
      stageTimingsMs: {},
      models: [],
      modelStats: null,
      enqueuedAtMs: 1,
      finishedAtMs: 2,
      latencyMs: 1,
      build: null,
      variant: 'production',
      owner: 'reader',
    };
    await w.results.write(row);
    const res = await fetch(`${w.base}/v1/episodes/${id}`, { headers: { authorization: `Bearer ${READER}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ result: { errorCode: 'corrupt_audio', status: 'failed' } });
    expect(text).not.toContain('/srv/podcasts');
    expect(text).not.toContain('CorruptAudioError');
  });

  it('limits each credential to its rate, with Retry-After, without affecting the others', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${w.base}/v1/episodes/${uniqueId('poll')}`, { headers: { authorization: `Bearer ${READER}` } });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(await res.json()).toMatchObject(problem('rate_limited'));
      }
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await as(PLATFORM, { id: uniqueId('other'), audioUri: A_MP3 })).status).toBe(202);
  });

  it('counts a credential’s requests across API replicas (the counters live in Redis)', async () => {
    // A second API process on the same Redis and prefix; a credential of its own, so the test above does not count.
    const second = createApi({ config: w.config, queues: w.queues, results: w.results, log: createLogger('silent') });
    const server = await new Promise<Server>((resolve) => {
      const s = second.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const bases = [w.base, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`${bases[i % 2]}/v1/episodes/${uniqueId('poll')}`, { headers: { authorization: `Bearer ${SECOND}` } });
        statuses.push(res.status);
      }
      // 20 a minute in all: in-process counters would have let 30 through (15 per replica).
      expect(statuses.filter((s) => s !== 429)).toHaveLength(20);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('serve', () => {
  it('refuses to listen beyond loopback without credentials', async () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', PODPREVIEW_HTTP_HOST: '0.0.0.0', LOG_LEVEL: 'silent' });
    await expect(startApiServer(config)).rejects.toThrow(/PODPREVIEW_HTTP_HOST=0\.0\.0\.0 is not loopback, and PODPREVIEW_API_TOKENS is empty/);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, idempotencyKey, type PrivateRedis, type StageQueues, startPrivateRedis } from '@podpreview/runs';
import { type Config, createLogger, loadConfig, type ResultRow, type ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { createApi } from './api.ts';
import { idempotencyStore } from './http/idempotency.ts';
import { startApiServer } from './serve.ts';

// Round two of the API's hardening, against a real private redis-server and DuckDB; no worker
// runs, so runs stay queued unless a test ends one the way a worker does (row, then run record).

const A_MP3 = '/srv/podcasts/a.mp3';
const problem = (code: string) => ({ type: `urn:podpreview:problem:${code}` });
const uniqueId = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}`;

interface World {
  redis: PrivateRedis;
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  base: string;
  port: number;
  stop(): Promise<void>;
}

async function startWorld(overrides: Record<string, string> = {}, wrapResults?: (r: ResultsSink) => ResultsSink): Promise<World> {
  const redis = await startPrivateRedis();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'podpreview-api-hard-'));
  const config = loadConfig({
    REDIS_URL: redis.url,
    PODPREVIEW_DATA_DIR: dataDir,
    PODPREVIEW_QUEUE_PREFIX: `h${randomUUID().slice(0, 8)}`,
    PODPREVIEW_INPUT_ROOTS: '/srv/podcasts,/tmp',
    ...overrides,
    LOG_LEVEL: 'silent',
  });
  const queues = createQueues(createRedis(redis.url, 'client'), config);
  const sink = createResultsSink(config);
  const results = wrapResults ? wrapResults(sink) : sink;
  const app = createApi({ config, queues, results, log: createLogger('silent') });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    redis,
    config,
    queues,
    results,
    port,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await closeQueues(queues).catch(() => {});
      await sink.close();
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A request with a Host header of our choosing (fetch sets its own). */
function request(
  w: World,
  method: string,
  url: string,
  o: { host?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: () => unknown; text: string }> {
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: w.port,
        method,
        path: url,
        headers: {
          host: o.host ?? `127.0.0.1:${w.port}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...o.headers,
        },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a worker does at a run's end: the result row, then the run record (which releases the claim). */
async function endRun(w: World, row: ResultRow) {
  await w.results.write(row);
  await w.queues.runs.recordEnded(row);
}

const endedRow = (episodeId: string, runId: string, owner: string | null, clipKey: string | null = null): ResultRow => ({
  runId,
  episodeId,
  contentHash: 'a'.repeat(64),
  status: 'succeeded',
  previewStartSec: 1,
  previewEndSec: 61,
  durationSec: 300,
  speechFraction: 0.9,
  score: 1,
  path: 'audio-only',
  clipKey,
  failedStage: null,
  errorClass: null,
  errorCode: null,
  errorMessage: null,
  stageTimingsMs: {},
  models: [],
  modelStats: null,
  enqueuedAtMs: Date.now() - 1000,
  finishedAtMs: Date.now(),
  latencyMs: 1000,
  build: null,
  variant: 'production',
  owner,
});

describe('an API without tokens (loopback only) against DNS rebinding', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ PODPREVIEW_ALLOWED_HOSTS: 'devbox.internal' });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('answers a foreign Host with 421 and enqueues nothing; loopback names and allowed hosts are answered', async () => {
    for (const host of ['rebind.attacker.example', 'rebind.attacker.example:8080', '10.1.2.3']) {
      const list = await request(w, 'GET', '/v1/episodes', { host });
      expect(list.status, host).toBe(421);
      expect(list.json()).toMatchObject(problem('host_not_allowed'));
      const submit = await request(w, 'POST', '/v1/episodes', { host, body: { id: uniqueId('rebind'), audioUri: A_MP3 } });
      expect(submit.status, host).toBe(421);
      expect((await request(w, 'GET', '/readyz', { host })).status).toBe(421);
    }
    expect(await w.queues.preprocess.count()).toBe(0);
    for (const host of [`127.0.0.1:${w.port}`, `localhost:${w.port}`, `[::1]:${w.port}`, 'devbox.internal:8080']) {
      expect((await request(w, 'GET', '/v1/episodes', { host })).status, host).toBe(200);
    }
  });
});

describe('scopes, inputs and readiness', () => {
  const PLATFORM = 'platform-token-0123456789abcdef';
  const TRANSCRIBER = 'transcriber-token-0123456789ab';
  let w: World;
  let tableReads = 0;
  beforeAll(async () => {
    w = await startWorld(
      {
        PODPREVIEW_API_TOKENS: `platform:${PLATFORM}:priority+force,transcriber:${TRANSCRIBER}:transcribe`,
        PODPREVIEW_API_MAX_TRANSCRIBE_RUNS_PER_CREDENTIAL: '1',
        PODPREVIEW_READYZ_CACHE_MS: '600000',
      },
      (sink) => ({
        write: (row) => sink.write(row),
        latestForEpisode: (id, variants) => sink.latestForEpisode(id, variants),
        findSucceeded: (id, hash, variants) => sink.findSucceeded(id, hash, variants),
        finishedSince: (since, limit) => sink.finishedSince(since, limit),
        close: () => sink.close(),
        forRun: (runId) => {
          tableReads++;
          return sink.forRun(runId);
        },
      }),
    );
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('refuses transcribe: true without the transcribe scope (403), and takes it with', async () => {
    const res = await request(w, 'POST', '/v1/episodes', { token: PLATFORM, body: { id: uniqueId('asr'), audioUri: A_MP3, transcribe: true } });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject(problem('forbidden'));
    expect((await request(w, 'POST', '/v1/episodes', { token: TRANSCRIBER, body: { id: uniqueId('asr'), audioUri: A_MP3, transcribe: true } })).status).toBe(
      202,
    );
  });

  it('caps a credential’s speech-to-text runs in flight (429), and gives the place back when its run ends', async () => {
    const first = await request(w, 'POST', '/v1/episodes', { token: TRANSCRIBER, body: { id: uniqueId('cap'), audioUri: A_MP3, transcribe: true } });
    // The earlier test's run still holds the one place.
    expect(first.status).toBe(429);
    expect(first.json()).toMatchObject(problem('too_many_in_flight'));
    // Work without speech-to-text is not capped by it.
    expect((await request(w, 'POST', '/v1/episodes', { token: TRANSCRIBER, body: { id: uniqueId('cap'), audioUri: A_MP3 } })).status).toBe(202);
    const held = (await request(w, 'GET', '/v1/episodes?limit=100', { token: TRANSCRIBER })).json() as { items: { runId: string; episodeId: string }[] };
    for (const r of held.items) await endRun(w, endedRow(r.episodeId, r.runId, 'transcriber'));
    const again = await request(w, 'POST', '/v1/episodes', { token: TRANSCRIBER, body: { id: uniqueId('cap'), audioUri: A_MP3, transcribe: true } });
    expect(again.status).toBe(202);
  });

  it.each([
    ['a loopback address', 'http://127.0.0.1:9/ep.mp3'],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a private network', 'https://10.0.0.7/ep.mp3'],
    ['a name that resolves to loopback', 'http://localhost:9/ep.mp3'],
    ['IPv6 loopback', 'http://[::1]:9/ep.mp3'],
  ])('refuses an http(s) input on %s at submit with 400 input_not_allowed', async (_name, audioUri) => {
    const res = await request(w, 'POST', '/v1/episodes', { token: PLATFORM, body: { id: uniqueId('ssrf'), audioUri } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ ...problem('input_not_allowed'), errors: [{ field: 'audioUri', message: 'the host is not a public address' }] });
  });

  it('answers a flood of /readyz from one check of the results table', async () => {
    const before = tableReads;
    const replies = await Promise.all(Array.from({ length: 50 }, () => request(w, 'GET', '/readyz')));
    for (let i = 0; i < 20; i++) replies.push(await request(w, 'GET', '/readyz'));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(tableReads - before).toBe(1);
  });
});

describe('Idempotency-Key claims', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ PODPREVIEW_IDEMPOTENCY_CLAIM_TTL_MS: '1000' });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('hold an unanswered key only PODPREVIEW_IDEMPOTENCY_CLAIM_TTL_MS: the retry after an API died mid-request is taken', async () => {
    const key = `k-${randomUUID()}`;
    const id = uniqueId('idem');
    const body = { id, audioUri: A_MP3 };
    // An API process claims the key, then dies before it answers.
    const dying = idempotencyStore(w.queues.redis, w.queues.prefix, { ttlMs: w.config.idempotencyTtlMs, claimTtlMs: w.config.idempotencyClaimTtlMs });
    const parsed = { id, audioUri: A_MP3, priority: false, force: false };
    expect(await dying.claim('local', key, parsed)).toEqual({ kind: 'new' });
    expect(await w.queues.redis.pttl(idempotencyKey(w.queues.prefix, 'local', key))).toBeLessThanOrEqual(1000);
    expect((await request(w, 'POST', '/v1/episodes', { body, headers: { 'idempotency-key': key } })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1100));
    const retry = await request(w, 'POST', '/v1/episodes', { body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(202);
    // Answered: kept for the full TTL.
    expect(await w.queues.redis.pttl(idempotencyKey(w.queues.prefix, 'local', key))).toBeGreaterThan(60_000);
  });
});

describe('tenancy: runs belong to the credential that started them', () => {
  const A = 'tenant-a-token-0123456789abcdef';
  const B = 'tenant-b-token-0123456789abcdef';
  const ADMIN = 'admin-token-0123456789abcdefgh';
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ PODPREVIEW_API_TOKENS: `a:${A}:transcribe,b:${B}:transcribe,ops:${ADMIN}:admin` });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('lets only the owner and an admin read, list, fetch the clip of and cancel a run; 404 to the others', async () => {
    const id = uniqueId('owned');
    const submit = await request(w, 'POST', '/v1/episodes', { token: A, body: { id, audioUri: A_MP3 } });
    expect(submit.status).toBe(202);
    const { runId } = submit.json() as { runId: string };
    const routes = [`/v1/episodes/${id}`, `/v1/episodes/${id}/runs`, `/v1/episodes/${id}/runs/${runId}`];
    for (const url of routes) {
      expect((await request(w, 'GET', url, { token: A })).status, url).toBe(200);
      expect((await request(w, 'GET', url, { token: ADMIN })).status, url).toBe(200);
      expect((await request(w, 'GET', url, { token: B })).status, url).toBe(404);
    }
    const listed = (token: string) =>
      request(w, 'GET', '/v1/episodes?limit=100', { token }).then((r) => (r.json() as { items: { runId: string }[] }).items.map((i) => i.runId));
    expect(await listed(A)).toContain(runId);
    expect(await listed(B)).not.toContain(runId);
    expect(await listed(ADMIN)).toContain(runId);
    expect((await request(w, 'GET', `/v1/episodes/${id}/clip`, { token: B })).status).toBe(404);
    expect((await request(w, 'DELETE', `/v1/episodes/${id}/runs/${runId}`, { token: B })).status).toBe(404);
    expect((await request(w, 'DELETE', `/v1/episodes/${id}/runs/${runId}`, { token: A })).status).toBe(202);
  });

  it('lets a credential whose identical request joined the run read it, not cancel it', async () => {
    const id = uniqueId('joined');
    const first = (await request(w, 'POST', '/v1/episodes', { token: A, body: { id, audioUri: A_MP3 } })).json() as { runId: string };
    const join = await request(w, 'POST', '/v1/episodes', { token: B, body: { id, audioUri: A_MP3 } });
    expect(join.json()).toMatchObject({ runId: first.runId, joined: true });
    expect((await request(w, 'GET', `/v1/episodes/${id}/runs/${first.runId}`, { token: B })).status).toBe(200);
    const cancel = await request(w, 'DELETE', `/v1/episodes/${id}/runs/${first.runId}`, { token: B });
    expect(cancel.status).toBe(403);
    expect(cancel.json()).toMatchObject(problem('forbidden'));
  });

  it('keeps the owner in the result row, so a run only the results table still knows stays its owner’s', async () => {
    const id = uniqueId('row-only');
    await w.results.write(endedRow(id, `run-${id}`, 'a'));
    expect((await request(w, 'GET', `/v1/episodes/${id}`, { token: A })).status).toBe(200);
    expect((await request(w, 'GET', `/v1/episodes/${id}`, { token: B })).status).toBe(404);
    expect((await request(w, 'GET', `/v1/episodes/${id}/runs/run-${id}`, { token: B })).status).toBe(404);
    expect((await request(w, 'GET', `/v1/episodes/${id}`, { token: ADMIN })).status).toBe(200);
  });

  it('refuses (409) a submission that would join a run in flight for another input or options, instead of dropping them', async () => {
    const id = uniqueId('differs');
    const first = (await request(w, 'POST', '/v1/episodes', { token: A, body: { id, audioUri: A_MP3 } })).json() as { runId: string };
    for (const [token, body, field] of [
      [A, { id, audioUri: '/srv/podcasts/other.mp3' }, 'audioUri'],
      [B, { id, audioUri: A_MP3, transcriptUri: '/srv/podcasts/a.vtt' }, 'transcriptUri'],
      [B, { id, audioUri: A_MP3, transcribe: true }, 'transcribe'],
    ] as const) {
      const res = await request(w, 'POST', '/v1/episodes', { token, body });
      expect(res.status, field).toBe(409);
      expect(res.json()).toMatchObject({ ...problem('run_in_flight_differs'), errors: [{ field }] });
      expect(res.text).not.toContain(first.runId);
    }
    // Nothing joined, nothing queued beside the first run.
    expect((await request(w, 'GET', `/v1/episodes/${id}/runs`, { token: ADMIN })).json()).toMatchObject({ items: [{ runId: first.runId }] });
    expect((await request(w, 'GET', `/v1/episodes/${id}/runs/${first.runId}`, { token: B })).status).toBe(404);
  });

  it('PODPREVIEW_API_TENANCY=shared lets every credential read every run', async () => {
    const shared = await startWorld({ PODPREVIEW_API_TOKENS: `a:${A},b:${B}`, PODPREVIEW_API_TENANCY: 'shared' });
    try {
      const id = uniqueId('shared');
      const { runId } = (await request(shared, 'POST', '/v1/episodes', { token: A, body: { id, audioUri: A_MP3 } })).json() as { runId: string };
      expect((await request(shared, 'GET', `/v1/episodes/${id}/runs/${runId}`, { token: B })).status).toBe(200);
    } finally {
      await shared.stop();
    }
  });
});

describe('clip URLs', () => {
  const TOKEN = 'platform-token-0123456789abcdef';
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ PODPREVIEW_API_TOKENS: `platform:${TOKEN}` });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('never name the request’s Host when PODPREVIEW_API_PUBLIC_URL is unset', async () => {
    const id = uniqueId('clip');
    const { runId } = (await request(w, 'POST', '/v1/episodes', { token: TOKEN, body: { id, audioUri: A_MP3 } })).json() as { runId: string };
    await endRun(w, endedRow(id, runId, 'platform', `episodes/${id}/${runId}/preview.mp3`));
    const res = await request(w, 'GET', `/v1/episodes/${id}`, { token: TOKEN, host: 'phish.attacker.example' });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('attacker.example');
    expect(res.json()).toMatchObject({ clip: { url: `/v1/episodes/${id}/runs/${runId}/clip` } });
  });
});

describe('serve with Redis down', () => {
  it('closes within its shutdown grace instead of waiting on Redis for ever', async () => {
    const redis = await startPrivateRedis();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'podpreview-serve-down-'));
    const config = loadConfig({
      REDIS_URL: redis.url,
      PODPREVIEW_DATA_DIR: dataDir,
      PODPREVIEW_HTTP_PORT: '0',
      PODPREVIEW_API_SHUTDOWN_GRACE_MS: '1000',
      LOG_LEVEL: 'silent',
    });
    const api = await startApiServer(config, { exitOnSignal: false });
    try {
      redis.process.kill('SIGKILL');
      await new Promise((r) => redis.process.once('exit', r));
      // Let the callback worker notice and start reconnecting.
      await new Promise((r) => setTimeout(r, 1000));
      // The test's own timeout (20 s) is what fails it on a close that waits for Redis.
      await api.close();
      expect(api.server.listening).toBe(false);
    } finally {
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 20_000);
});

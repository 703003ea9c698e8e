import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, enqueueEpisode, type PrivateRedis, type StageQueues, startPrivateRedis } from '@podpreview/runs';
import { type BlobStore, type Config, createLogger, EnqueueRequest, loadConfig, type ResultRow, type ResultsSink } from '@podpreview/shared';
import { createResultsSink, GcsBlobStore, LocalBlobStore } from '@podpreview/storage';
import { type GcsStandin, startGcsStandin } from '@podpreview/storage/testing';
import { createApi } from './api.ts';
import { Episode, Run, RunPage } from './http/api.schemas.ts';

// The /v1 surface added for platforms, against a real private redis-server and DuckDB; no worker
// runs, so runs stay queued unless a test ends one the way a worker does (row, then run record).

const A_MP3 = '/srv/podcasts/a.mp3';
const problem = (code: string) => ({ type: `urn:podpreview:problem:${code}` });
const uniqueId = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}`;

interface World {
  redis: PrivateRedis;
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  blobs: BlobStore;
  base: string;
  stop(): Promise<void>;
}

async function startWorld(
  overrides: Record<string, string> = {},
  wrapResults?: (r: ResultsSink) => ResultsSink,
  blobsIn?: (dataDir: string) => BlobStore,
): Promise<World> {
  const redis = await startPrivateRedis();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'podpreview-api-v1-'));
  const config = loadConfig({
    REDIS_URL: redis.url,
    PODPREVIEW_DATA_DIR: dataDir,
    PODPREVIEW_QUEUE_PREFIX: `v1${randomUUID().slice(0, 8)}`,
    PODPREVIEW_INPUT_ROOTS: '/srv/podcasts,/tmp',
    PODPREVIEW_API_PAGE_MAX: '5',
    PODPREVIEW_CALLBACK_SECRETS: 'local:callback-secret-0123456789',
    ...overrides,
    LOG_LEVEL: 'silent',
  });
  const queues = createQueues(createRedis(redis.url, 'client'), config);
  const sink = createResultsSink(config);
  const results = wrapResults ? wrapResults(sink) : sink;
  const blobs = blobsIn ? blobsIn(dataDir) : new LocalBlobStore(path.join(dataDir, 'blobs'));
  // As serve does: clip URLs name the bound address.
  let self: string | undefined;
  const app = createApi({ config, queues, results, blobs, log: createLogger('silent'), selfUrl: () => self });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  self = `http://127.0.0.1:${port}`;
  return {
    redis,
    config,
    queues,
    results,
    blobs,
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

const call = (w: World, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${w.base}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });

const submit = async (w: World, body: unknown, headers: Record<string, string> = {}) => {
  const res = await call(w, 'POST', '/v1/episodes', body, headers);
  return { res, body: (await res.json()) as { runId: string; joined: boolean; status: string; type?: string; errors?: { field: string; message: string }[] } };
};

/** What a worker does at a run's end: the result row, then the run record (which releases the claim). */
async function endRun(w: World, row: ResultRow) {
  await w.results.write(row);
  await w.queues.runs.recordEnded(row);
}

const succeededRow = (episodeId: string, runId: string, clipKey: string | null, enqueuedAtMs: number): ResultRow => ({
  runId,
  episodeId,
  contentHash: 'a'.repeat(64),
  status: 'succeeded',
  previewStartSec: 12.5,
  previewEndSec: 72.5,
  durationSec: 300,
  speechFraction: 0.91,
  score: 1.2,
  path: 'transcript',
  clipKey,
  failedStage: null,
  errorClass: null,
  errorCode: null,
  errorMessage: null,
  stageTimingsMs: { preprocess: 10 },
  models: [],
  modelStats: null,
  enqueuedAtMs,
  finishedAtMs: enqueuedAtMs + 4000,
  latencyMs: 4000,
  build: null,
  variant: 'production',
});

describe('/v1 for platforms', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('serves a valid OpenAPI 3.1 document describing every route, generated from the schemas the routes answer with', async () => {
    const res = await call(w, 'GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/healthz',
        '/readyz',
        '/v1/openapi.json',
        '/v1/episodes',
        '/v1/episodes/{id}',
        '/v1/episodes/{id}/runs',
        '/v1/episodes/{id}/runs/{runId}',
        '/v1/episodes/{id}/clip',
        '/v1/episodes/{id}/runs/{runId}/clip',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/v1/episodes/{id}/runs/{runId}']!).sort()).toEqual(['delete', 'get']);
    // Path parameters are described by the schemas the API checks them with.
    const runOp = doc.paths['/v1/episodes/{id}/runs/{runId}']!.get as { parameters: { name: string; schema: { pattern?: string } }[] };
    expect(runOp.parameters.map((p) => [p.name, p.schema.pattern])).toEqual([
      ['id', '^[A-Za-z0-9][A-Za-z0-9._-]*$'],
      ['runId', '^[A-Za-z0-9-]{8,64}$'],
    ]);
    expect((await call(w, 'GET', '/v1/episodes/ok-id/runs/no')).status).toBe(400);
    // The product's statuses, straight from the zod enum.
    expect(doc.components.schemas.RunStatus).toMatchObject({ enum: ['queued', 'running', 'succeeded', 'failed', 'deduplicated', 'cancelled'] });
    // The request as a client writes it: defaults optional, the callback URL described.
    expect(doc.components.schemas.SubmitRequest).toMatchObject({ required: ['id', 'audioUri'], properties: { callbackUrl: { format: 'uri' } } });
  });

  it('answers /healthz and /readyz without a credential', async () => {
    expect(await (await call(w, 'GET', '/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await call(w, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok', results: 'ok' } });
  });

  it('lists an episode’s runs newest first and reads one run, in the product’s words', async () => {
    const id = uniqueId('runs');
    const first = await submit(w, { id, audioUri: A_MP3 });
    expect(first.body.status).toBe('queued');
    const second = await submit(w, { id, audioUri: A_MP3, force: true });
    const res = await call(w, 'GET', `/v1/episodes/${id}/runs`);
    expect(res.status).toBe(200);
    const page = RunPage.parse(await res.json());
    expect(page.items.map((r) => r.runId)).toEqual([second.body.runId, first.body.runId]);
    for (const run of page.items) {
      expect(run).toMatchObject({ episodeId: id, status: 'queued', clip: null, cancelRequested: false });
      expect(run.stages.preprocess).toBe('queued');
    }
    const one = Run.parse(await (await call(w, 'GET', `/v1/episodes/${id}/runs/${first.body.runId}`)).json());
    expect(one.runId).toBe(first.body.runId);
    // A run of another episode is not found under this one.
    expect((await call(w, 'GET', `/v1/episodes/${uniqueId('other')}/runs/${first.body.runId}`)).status).toBe(404);
    expect((await call(w, 'GET', `/v1/episodes/${uniqueId('never')}/runs`)).status).toBe(404);
  });

  it('pages through all runs with a cursor, filters by status and time, and bounds the page size', async () => {
    const tag = uniqueId('page');
    const ids = Array.from({ length: 7 }, (_, i) => `${tag}-${i}`);
    const t0 = Date.now();
    for (const id of ids) await submit(w, { id, audioUri: A_MP3 });
    const seen: Run[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(w, 'GET', `/v1/episodes?since=${encodeURIComponent(new Date(t0).toISOString())}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = RunPage.parse(await res.json());
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    // Every run once, newest first (runs of one millisecond in run-id order).
    expect(seen.map((r) => r.episodeId).sort()).toEqual([...ids].sort());
    const times = seen.map((r) => Date.parse(r.enqueuedAt!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // limit above PODPREVIEW_API_PAGE_MAX (5) is cut to it.
    const big = RunPage.parse(await (await call(w, 'GET', '/v1/episodes?limit=1000')).json());
    expect(big.items).toHaveLength(5);
    expect(big.nextCursor).not.toBeNull();
    // A run that ended shows under its status only.
    const done = uniqueId('done');
    const { body } = await submit(w, { id: done, audioUri: A_MP3 });
    await endRun(w, succeededRow(done, body.runId, null, Date.now()));
    const succeeded = RunPage.parse(await (await call(w, 'GET', '/v1/episodes?status=succeeded')).json());
    expect(succeeded.items.map((r) => r.runId)).toEqual([body.runId]);
    expect(succeeded.items[0]).toMatchObject({ status: 'succeeded', preview: { startSec: 12.5, endSec: 72.5, speechFraction: 0.91 }, latencyMs: 4000 });
    for (const bad of ['status=prioritized', 'cursor=garbage', 'since=yesterday', 'limit=0']) {
      const res = await call(w, 'GET', `/v1/episodes?${bad}`);
      expect(res.status, bad).toBe(400);
    }
  });

  it('pages through runs enqueued in the same millisecond without skipping or repeating one', async () => {
    const at = Date.now() + 60_000; // newer than every other run of this file
    // More of one millisecond than a page and the look-ahead of the index read (64) together.
    const ids = Array.from({ length: 80 }, (_, i) => uniqueId(`tie${i}`));
    for (const id of ids) await enqueueEpisode(w.queues, w.config, EnqueueRequest.parse({ id, audioUri: A_MP3 }), at);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: Response = await call(
        w,
        'GET',
        `/v1/episodes?since=${encodeURIComponent(new Date(at).toISOString())}&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = RunPage.parse(await res.json());
      seen.push(...body.items.map((r) => r.episodeId));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('serves a run’s clip with Range support, and names its URL in the run', async () => {
    const id = uniqueId('clip');
    const { body } = await submit(w, { id, audioUri: A_MP3 });
    const clipKey = `episodes/${id}/${body.runId}/preview.mp3`;
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    const file = (w.blobs as LocalBlobStore).localPath(clipKey);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
    await endRun(w, succeededRow(id, body.runId, clipKey, Date.now()));

    const episode = Episode.parse(await (await call(w, 'GET', `/v1/episodes/${id}`)).json());
    expect(episode.status).toBe('succeeded');
    expect(episode.clip).toEqual({ url: `${w.base}/v1/episodes/${id}/runs/${body.runId}/clip`, expiresAt: null, contentType: 'audio/mpeg' });
    const whole = await fetch(episode.clip!.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/mpeg');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);
    const part = await fetch(`${w.base}/v1/episodes/${id}/clip`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    // A queued run has no clip yet.
    const queued = await submit(w, { id: uniqueId('noclip'), audioUri: A_MP3 });
    expect((await call(w, 'GET', `/v1/episodes/x/runs/${queued.body.runId}/clip`)).status).toBe(404);
  });

  it('answers a repeated Idempotency-Key with the first answer, and the key with another body with 422', async () => {
    const key = randomUUID();
    const id = uniqueId('idem');
    const a = await submit(w, { id, audioUri: A_MP3, force: true }, { 'idempotency-key': key });
    expect(a.res.status).toBe(202);
    // Same body, differently written: the same answer, and no second run (force would start one).
    const b = await submit(w, { force: true, audioUri: A_MP3, id }, { 'idempotency-key': key });
    expect(b.res.status).toBe(202);
    expect(b.res.headers.get('idempotent-replayed')).toBe('true');
    expect(b.body).toEqual(a.body);
    expect((await w.queues.preprocess.getJobs(['waiting', 'prioritized'])).filter((j) => j.data.episodeId === id)).toHaveLength(1);
    const c = await submit(w, { id, audioUri: '/srv/podcasts/other.mp3', force: true }, { 'idempotency-key': key });
    expect(c.res.status).toBe(422);
    expect(c.body).toMatchObject(problem('idempotency_key_reused'));
    // A refused request does not use up its key.
    const key2 = randomUUID();
    expect((await submit(w, { id: '.bad', audioUri: A_MP3 }, { 'idempotency-key': key2 })).res.status).toBe(400);
    expect((await submit(w, { id: uniqueId('ok'), audioUri: A_MP3 }, { 'idempotency-key': key2 })).res.status).toBe(202);
    expect((await submit(w, { id: uniqueId('k'), audioUri: A_MP3 }, { 'idempotency-key': 'x'.repeat(201) })).res.status).toBe(400);
    // Bounded: every key expires.
    const ttl = await w.queues.redis.pttl(`${w.queues.prefix}:podpreview:idempotency:local:${key}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(w.config.idempotencyTtlMs);
  });

  it('lets exactly one of simultaneous requests with one Idempotency-Key through; the others wait their turn (409) or replay', async () => {
    const key = randomUUID();
    const id = uniqueId('idem-race');
    const replies = await Promise.all(Array.from({ length: 8 }, () => submit(w, { id, audioUri: A_MP3, force: true }, { 'idempotency-key': key })));
    const accepted = replies.filter((r) => r.res.status === 202);
    const busy = replies.filter((r) => r.res.status === 409);
    expect(accepted.length + busy.length).toBe(8);
    expect(new Set(accepted.map((r) => r.body.runId)).size).toBe(1);
    for (const r of busy) {
      expect(r.body).toMatchObject(problem('idempotency_key_in_use'));
      expect(r.res.headers.get('retry-after')).toBe('1');
    }
    // force would start a run per request: only one started.
    expect((await w.queues.preprocess.getJobs(['waiting', 'prioritized'])).filter((j) => j.data.episodeId === id)).toHaveLength(1);
  });

  it('marks a queued run for cancellation, and refuses to cancel an ended one', async () => {
    const id = uniqueId('cancel');
    const { body } = await submit(w, { id, audioUri: A_MP3 });
    const res = await call(w, 'DELETE', `/v1/episodes/${id}/runs/${body.runId}`);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ runId: body.runId, status: 'queued', cancelRequested: true });
    expect(Run.parse(await (await call(w, 'GET', `/v1/episodes/${id}/runs/${body.runId}`)).json()).cancelRequested).toBe(true);

    const ended = uniqueId('ended');
    const e = await submit(w, { id: ended, audioUri: A_MP3 });
    await endRun(w, succeededRow(ended, e.body.runId, null, Date.now()));
    const again = await call(w, 'DELETE', `/v1/episodes/${ended}/runs/${e.body.runId}`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject(problem('run_ended'));
    expect((await call(w, 'DELETE', `/v1/episodes/${ended}/runs/no-such-run-id`)).status).toBe(404);
    expect((await call(w, 'DELETE', `/v1/episodes/${ended}/runs/${'x'.repeat(65)}`)).status).toBe(400);
    expect((await call(w, 'GET', `/v1/episodes/${ended}/runs/a%20b%20c%20d%20e`)).status).toBe(400);
  });

  it.each([
    ['a loopback address', 'http://127.0.0.1:9/hook', 'not a public address'],
    ['the metadata address', 'http://169.254.169.254/latest', 'not a public address'],
    ['a private address', 'https://10.1.2.3/hook', 'not a public address'],
    ['a name resolving to loopback', 'http://localhost:9/hook', 'not a public address'],
  ])('refuses a callback to %s with 400 callback_not_allowed', async (_name, callbackUrl, message) => {
    const { res, body } = await submit(w, { id: uniqueId('cb'), audioUri: A_MP3, callbackUrl });
    expect(res.status).toBe(400);
    expect(body).toMatchObject(problem('callback_not_allowed'));
    expect(body.errors![0]!.message).toContain(message);
  });

  it('refuses a callback URL that is not http(s) or carries credentials', async () => {
    for (const callbackUrl of ['ftp://example.com/x', 'https://user:pw@example.com/x', 'not a url']) {
      const { res, body } = await submit(w, { id: uniqueId('cb'), audioUri: A_MP3, callbackUrl });
      expect(res.status, callbackUrl).toBe(400);
      expect(body.errors!.map((e) => e.field)).toEqual(['callbackUrl']);
    }
  });
});

describe('/v1 clips in a GCS bucket', () => {
  let w: World;
  let standin: GcsStandin;
  beforeAll(async () => {
    standin = await startGcsStandin();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signingCredentials = {
      client_email: 'api@podpreview-test.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    w = await startWorld(
      { PODPREVIEW_CLIP_URL_TTL_SEC: '900' },
      undefined,
      () => new GcsBlobStore({ bucket: 'clips', apiEndpoint: standin.url, signingCredentials }),
    );
  });
  afterAll(async () => {
    await w?.stop();
    await standin?.close();
  });

  it('gives a signed URL that expires after PODPREVIEW_CLIP_URL_TTL_SEC, and redirects the clip route to a fresh one', async () => {
    const id = uniqueId('gcs');
    const { body } = await submit(w, { id, audioUri: A_MP3 });
    const clipKey = `episodes/${id}/${body.runId}/preview.mp3`;
    await w.blobs.put(clipKey, Buffer.from('ID3 clip bytes'));
    await endRun(w, succeededRow(id, body.runId, clipKey, Date.now()));
    const before = Date.now();
    const run = Run.parse(await (await call(w, 'GET', `/v1/episodes/${id}/runs/${body.runId}`)).json());
    const signed = new URL(run.clip!.url);
    expect(signed.pathname).toBe(`/clips/${clipKey}`);
    expect(signed.searchParams.get('X-Goog-Expires')).toBe('900');
    expect(signed.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{512}$/);
    expect(Date.parse(run.clip!.expiresAt!) - before).toBeGreaterThanOrEqual(899_000);
    const res = await fetch(`${w.base}/v1/episodes/${id}/clip`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(new URL(res.headers.get('location')!).searchParams.get('X-Goog-Credential')).toMatch(/^api@podpreview-test/);
    // Listings name the API's route (it redirects), so a page does not sign a URL per item.
    const page = RunPage.parse(await (await call(w, 'GET', `/v1/episodes/${id}/runs`)).json());
    expect(page.items[0]!.clip).toEqual({ url: `${w.base}/v1/episodes/${id}/runs/${body.runId}/clip`, expiresAt: null, contentType: 'audio/mpeg' });
  });
});

describe('/v1 callbacks need a secret for the credential', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ PODPREVIEW_CALLBACK_SECRETS: '', PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'true' });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('refuses callbackUrl when PODPREVIEW_CALLBACK_SECRETS names no secret for the caller', async () => {
    const { res, body } = await submit(w, { id: uniqueId('nosecret'), audioUri: A_MP3, callbackUrl: 'http://127.0.0.1:9/hook' });
    expect(res.status).toBe(400);
    expect(body.errors![0]!.message).toMatch(/no callback secret is configured for credential local/);
  });
});

describe('/v1 server errors', () => {
  let w: World;
  let broken = false;
  beforeAll(async () => {
    w = await startWorld({}, (sink) => ({
      ...sink,
      // A fault of ours (a bug), not a dependency being down.
      latestForEpisode: (id) => (broken ? Promise.reject(new TypeError('cannot read properties of undefined')) : sink.latestForEpisode(id)),
      forRun: (id) => sink.forRun(id),
      write: (row) => sink.write(row),
      findSucceeded: (id, h) => sink.findSucceeded(id, h),
      finishedSince: (s, l) => sink.finishedSince(s, l),
      close: () => sink.close(),
    }));
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('answers a fault of ours with 500 and no Retry-After', async () => {
    broken = true;
    const res = await call(w, 'GET', `/v1/episodes/${uniqueId('bug')}`);
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject(problem('internal'));
    expect(text).not.toContain('cannot read');
  });

  it('answers 503 with Retry-After, and /readyz 503, once Redis is down', async () => {
    w.redis.process.kill('SIGKILL');
    await new Promise((r) => (w.redis.process.exitCode !== null || w.redis.process.signalCode !== null ? r(undefined) : w.redis.process.once('exit', r)));
    const res = await call(w, 'GET', `/v1/episodes/${uniqueId('down')}/runs`);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const ready = await call(w, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(Number(ready.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await ready.json()).toEqual({ status: 'unavailable', checks: { redis: 'down', results: 'ok' } });
    expect((await call(w, 'GET', '/healthz')).status).toBe(200);
  });
});

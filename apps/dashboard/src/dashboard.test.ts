import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Monitor, startMonitor } from '@podpreview/ops';
import { closeQueues, createQueues, createRedis, type PrivateRedis, type StageQueues, startPrivateRedis } from '@podpreview/runs';
import { type Config, checkDashboardBind, createLogger, loadConfig, type ResultRow, type ResultsSink } from '@podpreview/shared';
import { createBlobStore, createResultsSink } from '@podpreview/storage';
import { createDashboard, redactJobData } from './dashboard.ts';

// The dashboard server on a real private Redis and DuckDB, with its data directory named as the
// default one is (`.data`), and no users (loopback only).

let redis: PrivateRedis;
let root: string;
let config: Config;
let queues: StageQueues;
let results: ResultsSink;
let monitor: Monitor;
let server: Server;
let port: number;

beforeAll(async () => {
  redis = await startPrivateRedis();
  root = await mkdtemp(path.join(tmpdir(), 'podpreview-dashboard-'));
  config = loadConfig(
    { REDIS_URL: redis.url, PODPREVIEW_QUEUE_PREFIX: `d${randomUUID().slice(0, 8)}`, PODPREVIEW_DASHBOARD_REFRESH_MS: '60000', LOG_LEVEL: 'silent' },
    root,
  );
  expect(config.dataDir).toBe(path.join(root, '.data'));
  queues = createQueues(createRedis(redis.url, 'client'), config);
  results = createResultsSink(config);
  const log = createLogger('silent');
  monitor = startMonitor({ queues, results, config, log });
  const app = createDashboard({ config, queues, results, blobs: createBlobStore(config), monitor, log });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  monitor?.stop();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await closeQueues(queues).catch(() => {});
  await results?.close();
  await redis?.stop();
  await rm(root, { recursive: true, force: true });
});

function get(url: string, host = `127.0.0.1:${port}`): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, headers: { host }, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('dashboard', () => {
  it('plays a clip from the default data directory (.data)', async () => {
    const clipKey = 'episodes/dotted/run-dotted-1/preview.mp3';
    const file = path.join(root, '.data', 'blobs', clipKey);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, Buffer.from('ID3 a clip'));
    const row: ResultRow = {
      runId: 'run-dotted-1',
      episodeId: 'dotted',
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
      enqueuedAtMs: 1,
      finishedAtMs: 2,
      latencyMs: 1,
      build: null,
      variant: 'production',
    };
    await results.write(row);
    const page = await get('/episodes/dotted');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('/episodes/dotted/clip');
    const clip = await get('/episodes/dotted/clip');
    expect(clip.status).toBe(200);
    expect(clip.headers['content-type']).toBe('audio/mpeg');
    expect(clip.body.toString()).toBe('ID3 a clip');
  });

  it('is not to be framed, and runs only its own scripts', async () => {
    const page = await get('/');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
  });

  it('answers a foreign Host with 421 while it has no users (DNS rebinding)', async () => {
    expect((await get('/', 'rebind.attacker.example')).status).toBe(421);
    expect((await get('/admin/queues', 'rebind.attacker.example:8081')).status).toBe(421);
    expect((await get('/', `localhost:${port}`)).status).toBe(200);
  });

  it('shows input URLs in Bull Board without their query values', () => {
    expect(redactJobData({ runId: 'r', audioUri: 'https://cdn.example/ep.mp3?X-Goog-Signature=abc123&X-Goog-Expires=60' })).toEqual({
      runId: 'r',
      audioUri: 'https://cdn.example/ep.mp3?X-Goog-Signature=…&X-Goog-Expires=…',
    });
  });

  it('refuses a bind off loopback without users (podpreview-dashboard and npm run demo -- --serve)', () => {
    expect(() => checkDashboardBind({ host: '0.0.0.0', users: [] })).toThrow(/not loopback, and PODPREVIEW_DASHBOARD_USERS is empty/);
    expect(() => checkDashboardBind({ host: '127.0.0.1', users: [] })).not.toThrow();
    expect(() => checkDashboardBind({ host: '0.0.0.0', users: [{ name: 'a', password: 'b'.repeat(12) }] })).not.toThrow();
  });

  it('fails /healthz (503) once Redis is down, so its readiness probe does', async () => {
    expect((await get('/healthz')).status).toBe(200);
    redis.process.kill('SIGKILL');
    await new Promise((r) => redis.process.once('exit', r));
    for (let i = 0; i < 100 && queues.redis.status === 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
    const health = await get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body.toString())).toMatchObject({ ok: false });
  });
});

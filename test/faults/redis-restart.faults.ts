import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '@podpreview/producer/api';
import { closeQueues, createQueues, createRedis, freePort, type StageQueues, startPrivateRedis, waitForRuns } from '@podpreview/runs';
import type { ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { startWorkerBin, stop, tally, type WorkerProcess } from './world.ts';

// Redis (this test's own, AOF on) restarted while runs are in flight and while the platform
// keeps submitting: the API answers 503 meanwhile and the client retries; workers and the API
// reconnect by themselves; nothing is lost or run twice.

const SAMPLES = ['news-brief.mp3', 'tech-talk.mp3', 'interview.mp3', 'short-note.ogg'];
let env: TestEnv;
let redisDir: string;
let redisPort: number;
let queues: StageQueues;
let results: ResultsSink;
let server: Server;
let base: string;
let worker: WorkerProcess;

beforeAll(async () => {
  redisDir = await mkdtemp(path.join(tmpdir(), 'podpreview-aof-'));
  redisPort = await freePort();
  env = await startTestEnv({}, { port: redisPort, dir: redisDir, appendOnly: true });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
  const app = createApi({ config: env.config, queues, results, log: env.log });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = startWorkerBin(env.env);
  await worker.ready;
});

afterAll(async () => {
  await stop(worker);
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await closeQueues(queues);
  await results?.close();
  await env?.cleanup();
  await rm(redisDir, { recursive: true, force: true });
});

/** A platform client: retries 503 and connection errors until accepted. */
async function submit(id: string, file: string): Promise<{ episodeId: string; runId: string; retries: number }> {
  for (let retries = 0; ; retries++) {
    const res = await fetch(`${base}/v1/episodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, audioUri: path.join(SAMPLES_DIR, file) }),
      signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined);
    if (res?.status === 202) return { episodeId: id, ...((await res.json()) as { runId: string }), retries };
    if (res && res.status !== 503) throw new Error(`submit ${id}: HTTP ${res.status} ${await res.text()}`);
    if (retries > 240) throw new Error(`submit ${id}: still refused after a minute`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Redis restarted mid-run', () => {
  it('loses nothing and needs no operator: in-flight runs finish, submissions during the outage land', async () => {
    const before = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(`before-${i}`, SAMPLES[i % SAMPLES.length]!)));
    // Some runs are in flight (the worker takes them in order) when Redis goes away.
    await new Promise((r) => setTimeout(r, 1500));
    await env.redis.stop();
    const during = Array.from({ length: 4 }, (_, i) => submit(`during-${i}`, SAMPLES[i % SAMPLES.length]!));
    await new Promise((r) => setTimeout(r, 3000));
    env.redis = await startPrivateRedis({ port: redisPort, dir: redisDir, appendOnly: true });
    const restartedAt = Date.now();
    const accepted = await Promise.all(during);
    expect(
      accepted.some((a) => a.retries > 0),
      'the outage was seen by the client',
    ).toBe(true);
    const all = [...before, ...accepted];
    let firstDoneAt: number | undefined;
    await waitForRuns(
      queues,
      all.map((r) => r.runId),
      {
        timeoutMs: 180_000,
        onProgress: (done) => {
          if (done > 0 && firstDoneAt === undefined) firstDoneAt = Date.now();
        },
      },
    );
    const result = await tally('Redis restarted mid-run (AOF)', queues, results, all, {
      recoverySec: ((firstDoneAt ?? Date.now()) - restartedAt) / 1000,
      notes: `${accepted.reduce((n, a) => n + a.retries, 0)} submit retries during the outage`,
    });
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, succeeded: all.length });
  });
});

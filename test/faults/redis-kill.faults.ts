import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '@podpreview/producer/api';
import { closeQueues, createQueues, createRedis, freePort, type StageQueues, startPrivateRedis } from '@podpreview/runs';
import type { ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { startWorkerBin, stop, tally, until, type WorkerProcess } from './world.ts';

// This test's Redis (AOF on, appendfsync everysec, as in infra/) killed with SIGKILL while runs
// are in flight: no shutdown, no final fsync. What Redis had fsynced survives; the last second
// before the kill may not. Runs answered before that window must all end with their row (their
// lost stage transitions are redone); of the runs answered inside it, the suite says how many
// left no trace: the window docs/security.md describes.

const SAMPLES = ['news-brief.mp3', 'tech-talk.mp3', 'interview.mp3', 'short-note.ogg'];
/** Longer than everysec's fsync interval, with room for an fsync that runs late. */
const FSYNC_WINDOW_MS = 2500;
let env: TestEnv;
let redisDir: string;
let redisPort: number;
let queues: StageQueues;
let results: ResultsSink;
let server: Server;
let base: string;
let worker: WorkerProcess;

beforeAll(async () => {
  redisDir = await mkdtemp(path.join(tmpdir(), 'podpreview-aof-kill-'));
  redisPort = await freePort();
  env = await startTestEnv(
    { PODPREVIEW_LOCK_DURATION_MS: '3000', PODPREVIEW_STALLED_INTERVAL_MS: '1000' },
    { port: redisPort, dir: redisDir, appendOnly: true },
  );
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
  const app = createApi({ config: env.config, queues, results, log: env.log });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = startWorkerBin({ ...env.env, PODPREVIEW_LOCK_DURATION_MS: '3000', PODPREVIEW_STALLED_INTERVAL_MS: '1000' });
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

async function submit(id: string, file: string): Promise<{ episodeId: string; runId: string }> {
  const res = await fetch(`${base}/v1/episodes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, audioUri: path.join(SAMPLES_DIR, file) }),
    signal: AbortSignal.timeout(15_000),
  });
  if (res.status !== 202) throw new Error(`submit ${id}: HTTP ${res.status} ${await res.text()}`);
  return { episodeId: id, ...((await res.json()) as { runId: string }) };
}

describe('Redis killed with SIGKILL (AOF, appendfsync everysec)', () => {
  it('loses no run answered before the last second; says how many of those answered inside it left no trace', async () => {
    expect(await queues.redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    const before: { episodeId: string; runId: string }[] = [];
    for (let i = 0; i < 8; i++) before.push(await submit(`settled-${i}`, SAMPLES[i % SAMPLES.length]!));
    // The worker takes them in order: some are done, some mid-stage, the rest queued.
    await new Promise((r) => setTimeout(r, FSYNC_WINDOW_MS));
    const windowStart = Date.now();
    const inWindow = await Promise.all(Array.from({ length: 4 }, (_, i) => submit(`in-window-${i}`, SAMPLES[i % SAMPLES.length]!)));
    env.redis.process.kill('SIGKILL');
    await new Promise((r) => env.redis.process.once('exit', r));
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    env.redis = await startPrivateRedis({ port: redisPort, dir: redisDir, appendOnly: true });
    const restartedAt = Date.now();
    let firstRowAt: number | undefined;
    await until(
      'the settled runs’ rows',
      async () => {
        const rows = await Promise.all(before.map((s) => results.forRun(s.runId)));
        if (firstRowAt === undefined && rows.some(Boolean)) firstRowAt = Date.now();
        return rows.every(Boolean);
      },
      180_000,
      250,
    ).catch(() => undefined);
    // The window's runs: those Redis kept finish too; give them the same chance.
    await until('the window’s runs', async () => (await Promise.all(inWindow.map((s) => results.forRun(s.runId)))).every(Boolean), 30_000, 250).catch(
      () => undefined,
    );
    const windowRows = (await Promise.all(inWindow.map((s) => results.forRun(s.runId)))).filter(Boolean).length;
    const result = await tally('Redis SIGKILL mid-run (AOF everysec)', queues, results, before, {
      recoverySec: ((firstRowAt ?? Date.now()) - restartedAt) / 1000,
      notes: `answered ≥ ${FSYNC_WINDOW_MS / 1000} s before the kill: all counted; answered in the last ${((killedAt - windowStart) / 1000).toFixed(2)} s before it: ${inWindow.length}, of which ${inWindow.length - windowRows} left no trace (the everysec window)`,
    });
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, rowsWritten: before.length });
  });
});

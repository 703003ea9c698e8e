import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyServerTimeouts, createApi } from '@podpreview/producer/api';
import { closeQueues, createQueues, createRedis, type StageQueues, waitForRuns } from '@podpreview/runs';
import { type Fleet, startFleet } from '@podpreview/pipeline/worker';
import { type ResultsSink, STAGE_NAMES } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { tally } from './world.ts';

// The HTTP API as an attacker and a misbehaving client would use it.

const TOKEN = 'platform-0123456789abcdef0123';
let env: TestEnv;
let queues: StageQueues;
let results: ResultsSink;
let server: Server;
let base: string;

beforeAll(async () => {
  env = await startTestEnv({
    PODPREVIEW_API_TOKENS: `platform:${TOKEN}:priority+force`,
    PODPREVIEW_HTTP_BODY_LIMIT_BYTES: '2048',
    PODPREVIEW_API_RATE_LIMIT_PER_MIN: '100000',
  });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
  const app = createApi({ config: env.config, queues, results, log: env.log });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  applyServerTimeouts(server, env.config);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await closeQueues(queues);
  await results?.close();
  await env?.cleanup();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/episodes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body,
    signal: AbortSignal.timeout(30_000),
  });
const audioUri = path.join(SAMPLES_DIR, 'short-note.ogg');

describe('HTTP API under abuse', () => {
  it('answers every malformed or unauthorised request with its problem, and enqueues none of them', async () => {
    const cases: [string, () => Promise<Response>, number, string][] = [
      ['malformed JSON', () => post('{"id": "x", "audioUri": '), 400, 'invalid_json'],
      ['wrong types', () => post(JSON.stringify({ id: 7, audioUri: ['a'], priority: 'yes' })), 400, 'invalid_request'],
      ['unknown fields', () => post(JSON.stringify({ id: 'ok', audioUri, colour: 'blue' })), 400, 'invalid_request'],
      ['oversized body', () => post(JSON.stringify({ id: 'ok', audioUri: `/tmp/${'x'.repeat(4096)}.mp3` })), 413, 'body_too_large'],
      ['non-JSON body', () => post('id=ok', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
      ['missing credential', () => post(JSON.stringify({ id: 'ok', audioUri }), { authorization: '' }), 401, 'unauthorized'],
      ['wrong credential', () => post(JSON.stringify({ id: 'ok', audioUri }), { authorization: 'Bearer nope-nope-nope-nope-nope' }), 401, 'unauthorized'],
      ['input outside the roots', () => post(JSON.stringify({ id: 'ok', audioUri: '/etc/shadow' })), 400, 'input_not_allowed'],
    ];
    const failed: Record<string, number> = {};
    for (const [name, send, status, type] of cases) {
      const res = await send();
      expect(res.status, name).toBe(status);
      expect(res.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { type: string }).type, name).toBe(`urn:podpreview:problem:${type}`);
      failed[`${status} ${type}`] = (failed[`${status} ${type}`] ?? 0) + 1;
    }
    expect(await queues.preprocess.count()).toBe(0);
    // None was accepted, so none may have a run: counted from the queue and the table like any other.
    const accepted = await queues.preprocess.getJobs(['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed']);
    const result = await tally(
      'HTTP: malformed and unauthorised requests',
      queues,
      results,
      accepted.map((j) => ({ episodeId: String(j.data.episodeId), runId: String(j.id) })),
      {
        notes: `${cases.length} requests refused: ${Object.entries(failed)
          .map(([k, v]) => `${k} ×${v}`)
          .join(', ')}`,
      },
    );
    record(result);
    expect(result).toMatchObject({ submitted: 0, lost: 0, duplicated: 0 });
  });

  it('1,000 concurrent submits of one episode make exactly one run, which completes once', async () => {
    const body = JSON.stringify({ id: 'stampede', audioUri });
    const replies = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const res = await post(body);
        // The receipt has a `status` of its own (the run's): the HTTP status goes last.
        return { ...((await res.json()) as { runId: string; joined: boolean }), status: res.status };
      }),
    );
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(new Set(replies.map((r) => r.runId)).size).toBe(1);
    expect(replies.filter((r) => !r.joined)).toHaveLength(1);
    expect(await queues.preprocess.count()).toBe(1);
    const fleet: Fleet = await startFleet(env.config, env.redis.url, [...STAGE_NAMES], env.log);
    try {
      const [status] = await waitForRuns(queues, [replies[0]!.runId], { timeoutMs: 60_000 });
      expect(status!.state).toBe('succeeded');
    } finally {
      await fleet.stop();
    }
    const result = await tally(
      'HTTP: 1,000 concurrent submits of one episode',
      queues,
      results,
      replies.map((r) => ({ episodeId: 'stampede', runId: r.runId })),
      { notes: `${replies.filter((r) => r.joined).length} joined the one run` },
    );
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, succeeded: 1 });
  });
});

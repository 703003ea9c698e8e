import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '@podpreview/producer/api';
import { closeQueues, createQueues, createRedis, type StageQueues, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import type { ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { tally } from './world.ts';

// What an attacker sends a tokenless API on a developer's machine: an HLS playlist named .mp3
// listing a file outside the input root (in the root, and from a web host), requests through a
// rebound DNS name, a web host that accepts and then stalls or trickles (a tarpit), and
// transcripts too big or with too many cues. None may succeed, none may hang a worker for
// long, and every accepted one must end with its row.

let env: TestEnv;
let work: string;
let outside: string;
let queues: StageQueues;
let results: ResultsSink;
let pipeline: LocalPipeline;
let api: Server;
let apiPort: number;
let host: Server;
let hostBase: string;
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'podpreview-hostile-'));
  outside = await mkdtemp(path.join(tmpdir(), 'podpreview-outside-'));
  await copyFile(path.join(SAMPLES_DIR, 'news-brief.mp3'), path.join(outside, 'secret.mp3'));
  const playlist = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:200\n#EXTINF:120.0,\n${path.join(outside, 'secret.mp3')}\n#EXT-X-ENDLIST\n`;
  host = http.createServer((req, res) => {
    if (req.url === '/playlist.mp3') return void res.end(playlist);
    held.push(res);
    res.writeHead(200, { 'content-length': '10000000' });
    if (req.url === '/trickle.mp3') {
      const t = setInterval(() => res.write('x'), 200);
      res.on('close', () => clearInterval(t));
    }
    // /silent.mp3: headers, then nothing.
  });
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  hostBase = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  env = await startTestEnv({
    PODPREVIEW_INPUT_ROOTS: work,
    // The web host plays a public one from loopback.
    PODPREVIEW_INPUT_ALLOW_PRIVATE_URLS: 'true',
    PODPREVIEW_FETCH_TIMEOUT_MS: '4000',
    PODPREVIEW_FETCH_IDLE_TIMEOUT_MS: '1000',
    PODPREVIEW_FETCH_ATTEMPTS: '2',
    PODPREVIEW_ATTEMPTS: '4',
    PODPREVIEW_MAX_TRANSCRIPT_BYTES: '65536',
    PODPREVIEW_MAX_TRANSCRIPT_CUES: '500',
  });
  await writeFile(path.join(work, 'ep.mp3'), playlist);
  await copyFile(path.join(SAMPLES_DIR, 'short-note.ogg'), path.join(work, 'good.ogg'));
  const cue = (i: number) => `${stamp(i)} --> ${stamp(i + 0.5)}\nline ${i}.\n`;
  await writeFile(path.join(work, 'huge.vtt'), `WEBVTT\n\nNOTE ${'x'.repeat(100_000)}\n\n${cue(1)}`);
  await writeFile(path.join(work, 'many.vtt'), `WEBVTT\n\n${Array.from({ length: 600 }, (_, i) => cue(i)).join('\n')}`);
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
  const app = createApi({ config: env.config, queues, results, log: env.log });
  api = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  apiPort = (api.address() as AddressInfo).port;
  pipeline = await startLocalPipeline(env.config, env.log);
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await pipeline?.stop();
  api?.closeAllConnections();
  await new Promise((r) => api?.close(r));
  host?.closeAllConnections();
  await new Promise((r) => host?.close(r));
  await closeQueues(queues);
  await results?.close();
  await env?.cleanup();
  for (const dir of [work, outside]) if (dir) await rm(dir, { recursive: true, force: true });
});

function stamp(sec: number): string {
  const s = Math.floor(sec);
  return `00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(Math.round((sec - s) * 1000)).padStart(3, '0')}`;
}

/** A submit, with a Host header of our choosing. */
function post(body: unknown, hostHeader = `127.0.0.1:${apiPort}`): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: apiPort,
        method: 'POST',
        path: '/v1/episodes',
        headers: { host: hostHeader, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (d: string) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('hostile inputs', () => {
  it('a playlist, DNS rebinding, a tarpit and oversized transcripts: nothing succeeds but the good one, nothing hangs, nothing is lost', async () => {
    const t0 = Date.now();
    // Through a rebound name: refused before anything is looked at.
    const rebound = await post({ id: 'rebound', audioUri: path.join(work, 'good.ogg') }, 'rebind.attacker.example');
    expect(rebound.status).toBe(421);
    const cases: [string, Record<string, unknown>, string | null][] = [
      ['playlist in the input root', { audioUri: path.join(work, 'ep.mp3') }, 'unsupported_audio'],
      ['playlist from a web host', { audioUri: `${hostBase}/playlist.mp3` }, 'unsupported_audio'],
      ['tarpit that stalls', { audioUri: `${hostBase}/silent.mp3` }, 'input_unreachable'],
      ['tarpit that trickles', { audioUri: `${hostBase}/trickle.mp3` }, 'input_unreachable'],
      ['transcript over the size limit', { audioUri: path.join(work, 'good.ogg'), transcriptUri: path.join(work, 'huge.vtt') }, 'bad_transcript'],
      ['transcript with too many cues', { audioUri: path.join(work, 'good.ogg'), transcriptUri: path.join(work, 'many.vtt') }, 'bad_transcript'],
      ['a good episode among them', { audioUri: path.join(work, 'good.ogg') }, null],
    ];
    const submitted: { episodeId: string; runId: string }[] = [];
    for (const [i, [, body]] of cases.entries()) {
      const res = await post({ id: `hostile-${i}`, ...body });
      expect(res.status, JSON.stringify(res.json)).toBe(202);
      submitted.push({ episodeId: `hostile-${i}`, runId: String(res.json.runId) });
    }
    await waitForRuns(
      queues,
      submitted.map((s) => s.runId),
      { timeoutMs: 120_000 },
    );
    for (const [i, [name, , code]] of cases.entries()) {
      const row = await results.forRun(submitted[i]!.runId);
      if (code === null) expect(row?.status, name).toBe('succeeded');
      else expect(row, name).toMatchObject({ status: 'failed', errorCode: code });
    }
    // The playlist's target was never read: no row has its length.
    const secretSec = (await results.forRun(submitted[0]!.runId))?.durationSec;
    expect(secretSec).toBeNull();
    expect(await queues.preprocess.getJob('rebound')).toBeUndefined();
    const result = await tally('hostile: playlist, rebinding, tarpit, oversized transcripts', queues, results, submitted, {
      notes: `+1 request through a rebound Host refused (421), nothing queued; ${((Date.now() - t0) / 1000).toFixed(0)} s in all, the tarpits bounded by PODPREVIEW_FETCH_ATTEMPTS × the fetch deadlines`,
    });
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, succeeded: 1, rowsWritten: cases.length });
  });
});

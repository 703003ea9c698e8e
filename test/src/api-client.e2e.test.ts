import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { type CallbackBody, createPodpreviewClient, verifyCallback } from '@podpreview/client';
import { type ApiServer, startApiServer } from '@podpreview/producer/serve';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';
import { CLIENT_TYPES_FILE, clientTypes } from './openapi-client.ts';

// The API as a platform uses it: a client generated from the served OpenAPI document submits
// an episode with a callback URL, the real pipeline runs it (Redis, ffmpeg, ONNX models), the
// signed callback arrives at a local receiver, the clip is fetched by its URL, the run is listed.

const SECRET = 'platform-callback-secret-0123456789';
const TOKEN = 'platform-token-0123456789abcdef';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A platform's callback endpoint: records what arrives; the first delivery of `failFirst` runs gets a 500 (retried). */
async function startReceiver() {
  const deliveries: Delivery[] = [];
  let failures = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        res.writeHead(500).end();
        return;
      }
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/previews`,
    deliveries,
    async next(predicate: (d: Delivery) => boolean, timeoutMs = 90_000): Promise<Delivery> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = deliveries.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no callback within ${timeoutMs} ms (got ${deliveries.length})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

let env: TestEnv;
let pipeline: LocalPipeline;
let api: ApiServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  env = await startTestEnv({
    PODPREVIEW_HTTP_PORT: '0',
    PODPREVIEW_API_TOKENS: `platform:${TOKEN}:priority`,
    PODPREVIEW_CALLBACK_SECRETS: `platform:${SECRET}`,
    // The receiver is on this machine; in production callbacks go to public addresses only.
    PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'true',
    PODPREVIEW_CALLBACK_BACKOFF_MS: '100',
  });
  pipeline = await startLocalPipeline(env.config, env.log);
  api = await startApiServer(env.config, { exitOnSignal: false });
});

afterAll(async () => {
  await api?.close();
  await pipeline?.stop();
  await env?.cleanup();
  await receiver?.close();
});

describe('a client generated from the served OpenAPI document', () => {
  it('is the one committed (@podpreview/client), generated from what /v1/openapi.json serves', async () => {
    const generated = await clientTypes(new URL(`${api.url}/v1/openapi.json`));
    const committed = await readFile(CLIENT_TYPES_FILE, 'utf8');
    expect(committed, 'stale client types: run `npm run openapi:client -w test`').toBe(generated);
  });

  it('submits an episode with a callback, receives the signed callback, fetches the clip by its URL and lists the run', async () => {
    const client = createPodpreviewClient({ baseUrl: api.url, token: TOKEN });
    const id = 'api-client-interview';
    const submitted = await client.POST('/v1/episodes', {
      body: {
        id,
        audioUri: path.join(SAMPLES_DIR, 'interview.mp3'),
        transcriptUri: path.join(SAMPLES_DIR, 'interview.srt'),
        priority: true,
        callbackUrl: receiver.url,
      },
      params: { header: { 'Idempotency-Key': 'submit-interview-1' } },
    });
    expect(submitted.response.status).toBe(202);
    const receipt = submitted.data!;
    expect(receipt).toMatchObject({ id, joined: false, status: 'queued' });

    // The callback: signed over the raw body with the credential's secret (Standard Webhooks), recent, about this run.
    const delivery = await receiver.next((d) => d.body.includes(receipt.runId));
    const deliveryId = String(delivery.headers['webhook-id']);
    const timestamp = String(delivery.headers['webhook-timestamp']);
    const expected = `v1,${createHmac('sha256', SECRET).update(`${deliveryId}.${timestamp}.${delivery.body}`).digest('base64')}`;
    expect(timingSafeEqual(Buffer.from(String(delivery.headers['webhook-signature'])), Buffer.from(expected))).toBe(true);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
    expect(verifyCallback(SECRET, delivery.body, delivery.headers)).toEqual({ ok: true, id: deliveryId, timestampSec: Number(timestamp) });
    expect(verifyCallback('another-secret-0123456789', delivery.body, delivery.headers)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyCallback(SECRET, delivery.body, delivery.headers, { nowMs: (Number(timestamp) + 301) * 1000 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    // The previous headers, kept for one release, say the same.
    expect(delivery.headers['podpreview-timestamp']).toBe(timestamp);
    expect(delivery.headers['podpreview-signature']).toBe(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.${delivery.body}`).digest('hex')}`);
    const callback = JSON.parse(delivery.body) as CallbackBody;
    expect(callback.event).toBe('run.ended');
    expect(callback.deliveryId).toBe(deliveryId);
    expect(delivery.headers['podpreview-delivery']).toBe(deliveryId);
    expect(callback.run).toMatchObject({ runId: receipt.runId, episodeId: id, status: 'succeeded', errorCode: null });
    expect(callback.run.preview!.speechFraction!).toBeGreaterThan(0.5);
    expect(callback.run.preview!.endSec! - callback.run.preview!.startSec!).toBeCloseTo(60, 0);

    // The clip, by the URL the callback gave: an MP3, and seekable (Range).
    const clipUrl = callback.run.clip!.url;
    expect(clipUrl.startsWith(api.url)).toBe(true);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const clip = await fetch(clipUrl, { headers: auth });
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toBe('audio/mpeg');
    const bytes = Buffer.from(await clip.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(50_000);
    // ID3 tag or an MPEG audio frame sync.
    expect(bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)).toBe(true);
    const part = await fetch(clipUrl, { headers: { ...auth, range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));

    // Listed: under the episode, and across episodes filtered by status.
    const runs = await client.GET('/v1/episodes/{id}/runs', { params: { path: { id } } });
    expect(runs.data!.items.map((r) => [r.runId, r.status])).toEqual([[receipt.runId, 'succeeded']]);
    const one = await client.GET('/v1/episodes/{id}/runs/{runId}', { params: { path: { id, runId: receipt.runId } } });
    expect(one.data!.stages).toMatchObject({ preprocess: 'done', sink: 'done' });
    const listed = await client.GET('/v1/episodes', { params: { query: { status: 'succeeded' } } });
    expect(listed.data!.items.map((r) => r.runId)).toContain(receipt.runId);
    const episode = await client.GET('/v1/episodes/{id}', { params: { path: { id } } });
    expect(episode.data).toMatchObject({ id, runId: receipt.runId, status: 'succeeded', result: { status: 'succeeded', path: 'transcript' } });

    // The same Idempotency-Key and body: the first answer, no new run.
    const again = await client.POST('/v1/episodes', {
      body: {
        id,
        audioUri: path.join(SAMPLES_DIR, 'interview.mp3'),
        transcriptUri: path.join(SAMPLES_DIR, 'interview.srt'),
        priority: true,
        callbackUrl: receiver.url,
      },
      params: { header: { 'Idempotency-Key': 'submit-interview-1' } },
    });
    expect(again.data).toEqual(receipt);
    // The receiver failed the first attempt: delivered by a retry, once.
    expect(receiver.deliveries.filter((d) => d.body.includes(receipt.runId))).toHaveLength(1);
  });

  it('cancels a run: the workers stop it at the next stage boundary and its callback says cancelled', async () => {
    const client = createPodpreviewClient({ baseUrl: api.url, token: TOKEN });
    const id = 'api-client-cancelled';
    const submitted = await client.POST('/v1/episodes', { body: { id, audioUri: path.join(SAMPLES_DIR, 'tech-talk.mp3'), callbackUrl: receiver.url } });
    const runId = submitted.data!.runId;
    const cancelled = await client.DELETE('/v1/episodes/{id}/runs/{runId}', { params: { path: { id, runId } } });
    expect(cancelled.response.status).toBe(202);
    expect(cancelled.data).toMatchObject({ runId, cancelRequested: true });
    const delivery = await receiver.next((d) => d.body.includes(runId));
    const run = (JSON.parse(delivery.body) as CallbackBody).run;
    expect(run).toMatchObject({ runId, status: 'cancelled', errorCode: 'cancelled', clip: null });
    const read = await client.GET('/v1/episodes/{id}/runs/{runId}', { params: { path: { id, runId } } });
    expect(read.data).toMatchObject({ status: 'cancelled', cancelRequested: true });
    // No stage after the one it was stopped before ran: no clip, and the sink never saw it.
    expect(read.data!.stages.sink ?? 'pending').toBe('pending');
    const row = await pipeline.fleet.services.results.forRun(runId);
    expect(row).toMatchObject({ status: 'cancelled', errorCode: 'cancelled', clipKey: null });
  });
});

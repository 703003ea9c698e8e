import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { standardWebhooksSecret, verifyCallback } from '@podpreview/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallbackQueue, createRedis, enqueueCallbacks, type PrivateRedis, startPrivateRedis } from '@podpreview/runs';
import { type Config, createLogger, loadConfig } from '@podpreview/shared';
import type { Run } from '../http/api.schemas.ts';
import { startCallbackWorker } from './delivery.ts';

// The delivery worker on a real private redis-server, posting to a real local receiver.

const SECRET = 'delivery-test-secret-0123456789';
const run = (runId: string): Run => ({
  runId,
  episodeId: 'ep',
  status: 'succeeded',
  stages: {},
  enqueuedAt: null,
  finishedAt: null,
  latencyMs: 10,
  preview: null,
  clip: null,
  failedStage: null,
  errorCode: null,
  cancelRequested: false,
  variant: 'production',
});

let redis: PrivateRedis;
let receiver: http.Server;
let url: string;
const arrivals: { body: string; headers: http.IncomingHttpHeaders }[] = [];
let failNext = 0;
/** Requests to /tarpit: held open, never answered (until the test lets them go). */
const held: http.ServerResponse[] = [];
let tarpitOpen = true;

beforeAll(async () => {
  redis = await startPrivateRedis();
  receiver = http.createServer((req, res) => {
    if (req.url === '/tarpit' && tarpitOpen) {
      held.push(res);
      return;
    }
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      arrivals.push({ body, headers: req.headers });
      res.writeHead(failNext-- > 0 ? 503 : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  await redis?.stop();
});

async function withWorker(env: Record<string, string>, body: (queue: Queue, config: Config) => Promise<void>) {
  const config = loadConfig({
    REDIS_URL: redis.url,
    PODPREVIEW_QUEUE_PREFIX: `cb${randomUUID().slice(0, 8)}`,
    PODPREVIEW_CALLBACK_SECRETS: `platform:${SECRET},slowpoke:${SECRET}`,
    PODPREVIEW_CALLBACK_BACKOFF_MS: '50',
    PODPREVIEW_CALLBACK_ATTEMPTS: '4',
    ...env,
  });
  const worker = startCallbackWorker({ config, redis: redis.url, readRun: async (_e, runId) => run(runId), log: createLogger('silent') });
  const connection = createRedis(redis.url, 'client');
  const queue = createCallbackQueue(connection, config);
  try {
    await body(queue, config);
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
  }
}

const until = async (what: () => Promise<boolean> | boolean, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('callback delivery', () => {
  it('retries a failing receiver with exponential backoff, then delivers once, signed', async () => {
    await withWorker({ PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'true' }, async (queue, config) => {
      const runId = randomUUID();
      arrivals.length = 0;
      failNext = 2;
      await enqueueCallbacks(queue, config, { runId, episodeId: 'ep' }, [{ url, credential: 'platform' }]);
      await until(() => arrivals.length === 3);
      const c = arrivals[2]!;
      // One delivery id on every attempt, in both header sets; the body names it too.
      expect(new Set(arrivals.flatMap((x) => [x.headers['webhook-id'], x.headers['podpreview-delivery']])).size).toBe(1);
      const check = verifyCallback(SECRET, c.body, c.headers);
      expect(check).toMatchObject({ ok: true, id: c.headers['webhook-id'] });
      expect(JSON.parse(c.body)).toMatchObject({ event: 'run.ended', deliveryId: c.headers['webhook-id'], run: { runId, status: 'succeeded' } });
      // A receiver using the Standard Webhooks reference library, with the secret in its notation.
      const verified = new Webhook(standardWebhooksSecret(SECRET)).verify(c.body, c.headers as Record<string, string>);
      expect(verified).toMatchObject({ event: 'run.ended', run: { runId } });
      expect(() => new Webhook(standardWebhooksSecret('another-secret-0123456789')).verify(c.body, c.headers as Record<string, string>)).toThrow();
      // The previous headers still verify alone (receivers not yet moved over).
      const legacyOnly = Object.fromEntries(Object.entries(c.headers).filter(([k]) => !k.startsWith('webhook-')));
      expect(verifyCallback(SECRET, c.body, legacyOnly)).toMatchObject({ ok: true });
      await until(async () => (await queue.getJobCounts('completed')).completed === 1);
      const [job] = await queue.getCompleted();
      expect(job!.attemptsMade).toBe(3);
      expect(job!.opts.backoff).toEqual({ type: 'exponential', delay: 50 });
    });
  });

  it('sends only the Standard Webhooks headers once PODPREVIEW_CALLBACK_LEGACY_HEADERS=false', async () => {
    await withWorker({ PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'true', PODPREVIEW_CALLBACK_LEGACY_HEADERS: 'false' }, async (queue, config) => {
      arrivals.length = 0;
      failNext = 0;
      await enqueueCallbacks(queue, config, { runId: randomUUID(), episodeId: 'ep' }, [{ url, credential: 'platform' }]);
      await until(() => arrivals.length === 1);
      const { headers, body } = arrivals[0]!;
      expect(Object.keys(headers).filter((k) => k.startsWith('podpreview-'))).toEqual([]);
      expect(verifyCallback(SECRET, body, headers)).toMatchObject({ ok: true });
    });
  });

  it('gives up at once, sending nothing, when the target resolves to a private address at delivery (checked again then)', async () => {
    await withWorker({ PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'false' }, async (queue, config) => {
      arrivals.length = 0;
      await enqueueCallbacks(queue, config, { runId: randomUUID(), episodeId: 'ep' }, [{ url, credential: 'platform' }]);
      await until(async () => (await queue.getJobCounts('failed')).failed === 1);
      const [job] = await queue.getFailed();
      expect(job!.attemptsMade).toBe(1);
      expect(job!.failedReason).toMatch(/not a public address/);
      expect(arrivals).toHaveLength(0);
    });
  });

  it('lets a credential’s slow receiver hold only its share of the delivery slots, so others’ callbacks go on', async () => {
    const env = {
      PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'true',
      PODPREVIEW_CALLBACK_CONCURRENCY: '3',
      PODPREVIEW_CALLBACK_CONCURRENCY_PER_CREDENTIAL: '1',
      PODPREVIEW_CALLBACK_TIMEOUT_MS: '60000',
    };
    await withWorker(env, async (queue, config) => {
      arrivals.length = 0;
      const tarpit = url.replace('/hook', '/tarpit');
      for (let i = 0; i < 4; i++) await enqueueCallbacks(queue, config, { runId: randomUUID(), episodeId: 'ep' }, [{ url: tarpit, credential: 'slowpoke' }]);
      await until(() => held.length === 1);
      const runId = randomUUID();
      await enqueueCallbacks(queue, config, { runId, episodeId: 'ep' }, [{ url, credential: 'platform' }]);
      // The test's wait (20 s) is far below the tarpit's 60 s: on a slot held by it, this fails.
      await until(() => arrivals.some((a) => (JSON.parse(a.body) as { run: { runId: string } }).run.runId === runId));
      expect(held).toHaveLength(1);
      tarpitOpen = false;
      for (const res of held.splice(0)) res.writeHead(200).end();
    });
  });

  it('gives up at once on a credential without a secret', async () => {
    await withWorker({ PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: 'true' }, async (queue, config) => {
      arrivals.length = 0;
      await enqueueCallbacks(queue, config, { runId: randomUUID(), episodeId: 'ep' }, [{ url, credential: 'stranger' }]);
      await until(async () => (await queue.getJobCounts('failed')).failed === 1);
      expect((await queue.getFailed())[0]!.failedReason).toMatch(/no PODPREVIEW_CALLBACK_SECRETS entry for stranger/);
      expect(arrivals).toHaveLength(0);
    });
  });
});

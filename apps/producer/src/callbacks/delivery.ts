import http from 'node:http';
import https from 'node:https';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { callbackHeaders } from '@podpreview/client';
import { CALLBACK_QUEUE, CallbackJob, createRedis, queueKeyPrefix } from '@podpreview/runs';
import type { Config, Logger, RedisTarget } from '@podpreview/shared';
import { assertPublicHost, BlockedAddressError, guardedLookup } from '@podpreview/storage';
import type { CallbackBody, Run } from '../http/api.schemas.ts';

/** How long a delivery past its credential's share waits before it is looked at again. */
const FAIR_SHARE_WAIT_MS = 250;

export interface CallbackWorkerDeps {
  config: Config;
  redis: RedisTarget;
  /** The run as the API shows it (clip location included), read when the callback is sent. */
  readRun(episodeId: string, runId: string): Promise<Run | undefined>;
  log: Logger;
}

/**
 * Delivers completion callbacks from their own queue: a POST of the run, signed with the
 * secret of the credential that asked for it, retried with exponential backoff
 * (PODPREVIEW_CALLBACK_ATTEMPTS, PODPREVIEW_CALLBACK_BACKOFF_MS) on any answer but 2xx. The
 * target is checked like every outbound URL (public addresses only unless
 * PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS), on the address the socket uses; redirects are not
 * followed. Runs in the API process (`podpreview serve`), which holds the secrets. Of the
 * process's PODPREVIEW_CALLBACK_CONCURRENCY slots, one credential's receivers hold at most
 * PODPREVIEW_CALLBACK_CONCURRENCY_PER_CREDENTIAL: a delivery past that waits a moment in the
 * delayed set (no attempt spent), so a receiver that answers slowly (a tarpit) delays only its
 * own credential's callbacks.
 */
export function startCallbackWorker(deps: CallbackWorkerDeps): { worker: Worker; close(): Promise<void>; abandon(): void } {
  const { config, log } = deps;
  const inFlight = new Map<string, number>();
  const processor = async (job: Job, token?: string): Promise<{ status: number }> => {
    const parsed = CallbackJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError('malformed callback job');
    const { credential } = parsed.data;
    const mine = inFlight.get(credential) ?? 0;
    if (mine >= config.callbacks.concurrencyPerCredential) {
      await job.moveToDelayed(Date.now() + FAIR_SHARE_WAIT_MS, token);
      throw new DelayedError();
    }
    inFlight.set(credential, mine + 1);
    try {
      return await deliver(job, parsed.data);
    } finally {
      const left = (inFlight.get(credential) ?? 1) - 1;
      if (left > 0) inFlight.set(credential, left);
      else inFlight.delete(credential);
    }
  };

  const deliver = async (job: Job, { runId, episodeId, url, credential }: CallbackJob): Promise<{ status: number }> => {
    const secret = config.callbacks.secrets.find((s) => s.name === credential)?.secret;
    if (!secret) throw new UnrecoverableError(`no PODPREVIEW_CALLBACK_SECRETS entry for ${credential}`);
    const run = await deps.readRun(episodeId, runId);
    if (!run) throw new UnrecoverableError(`run ${runId} is no longer known`);
    const body = JSON.stringify({ event: 'run.ended', deliveryId: String(job.id), run } satisfies CallbackBody);
    // Standard Webhooks headers, and the previous Podpreview-* ones while they are kept.
    const signed = callbackHeaders(
      secret,
      { id: String(job.id), timestampSec: Math.floor(Date.now() / 1000), body },
      { legacy: config.callbacks.legacyHeaders },
    );
    const status = await post(new URL(url), body, {
      'content-type': 'application/json',
      'user-agent': 'podpreview-callbacks',
      ...signed,
    }).catch((err: unknown) => {
      if (err instanceof BlockedAddressError) throw new UnrecoverableError(err.message);
      throw err;
    });
    if (status < 200 || status >= 300) throw new Error(`callback target answered HTTP ${status}`);
    log.info({ runId, episodeId, status, attempt: job.attemptsMade + 1 }, 'callback delivered');
    return { status };
  };

  const post = (url: URL, body: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      assertPublicHost(url, config.callbacks.allowPrivateUrls).then(() => {
        const client = url.protocol === 'https:' ? https : http;
        const req = client.request(
          url,
          {
            method: 'POST',
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
            lookup: guardedLookup(config.callbacks.allowPrivateUrls),
            signal: AbortSignal.timeout(config.callbacks.timeoutMs),
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      }, reject);
    });

  const connection = createRedis(deps.redis, 'worker');
  const worker = new Worker(CALLBACK_QUEUE, processor, {
    connection,
    prefix: queueKeyPrefix(config.queuePrefix, CALLBACK_QUEUE, connection.isCluster),
    concurrency: config.callbacks.concurrency,
    name: 'podpreview-callbacks',
    // BullMQ's per-minute completed/failed counts: the callback-failure alert and the dashboard read them.
    metrics: { maxDataPoints: config.queueMetricsMaxPoints },
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    log[final ? 'error' : 'warn'](
      { runId: job.data?.runId, attempt: job.attemptsMade, err: err.message },
      final ? 'callback given up' : 'callback failed; will retry',
    );
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'callback worker error'));
  return {
    worker,
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
    /** Drops in-flight deliveries and the connection at once (Redis down at shutdown): their jobs stay queued for the next process. */
    abandon: () => {
      void worker.close(true).catch(() => {});
      connection.disconnect();
    },
  };
}

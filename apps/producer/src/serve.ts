import type { Server } from 'node:http';
import { closeQueues, connectRedis, createQueues } from '@podpreview/runs';
import { type Config, ConfigError, createLogger, isLoopbackHost, redisTargetOf } from '@podpreview/shared';
import { createResultsSink, createBlobStore } from '@podpreview/storage';
import { startCallbackWorker } from './callbacks/delivery.ts';
import { clipLocator, readRun } from './http/runs.ts';
import { applyServerTimeouts, createApi } from './api.ts';

export interface ApiServer {
  server: Server;
  /** http://host:port as bound (port 0 resolved). */
  url: string;
  /** Stops listening, the callback worker and the connections (what SIGTERM does, without exiting). */
  close(): Promise<void>;
}

export async function startApiServer(config: Config, o: { exitOnSignal?: boolean } = {}): Promise<ApiServer> {
  const redis = redisTargetOf(config);
  if (!redis)
    throw new Error(
      'REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): the API enqueues into the Redis the workers consume',
    );
  // Secure by default: reachable from elsewhere only with credentials.
  if (!isLoopbackHost(config.httpHost) && config.apiTokens.length === 0) {
    throw new ConfigError(
      `PODPREVIEW_HTTP_HOST=${config.httpHost} is not loopback, and PODPREVIEW_API_TOKENS is empty: set tokens to serve beyond this machine`,
    );
  }
  const log = createLogger(config.logLevel, { app: 'producer' }, config);
  // Fail at start, with the URL and the cause, rather than answer every request with 503.
  const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
  const results = createResultsSink(config);
  const blobs = createBlobStore(config);
  // Clip URLs name this process's own address once it is bound (PODPREVIEW_API_PUBLIC_URL wins), never a request's Host.
  let selfUrl: string | undefined;
  const app = createApi({ config, queues, results, blobs, log, selfUrl: () => selfUrl });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.httpPort, config.httpHost, () => resolve(s));
    s.once('error', reject);
  });
  applyServerTimeouts(server, config);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.httpPort;
  // Completion callbacks are sent from here: this process holds the credentials' secrets.
  const runDeps = { config, queues, results, blobs };
  const url = `http://${config.httpHost.includes(':') ? `[${config.httpHost}]` : config.httpHost}:${port}`;
  // A wildcard bind is no address a client can use: clip URLs are then paths on the API.
  if (!['0.0.0.0', '::', '[::]'].includes(config.httpHost)) selfUrl = url;
  const publicUrl = config.apiPublicUrl ?? url;
  const clips = clipLocator(runDeps, publicUrl, { sign: true });
  const readRunForCallback = (episodeId: string, runId: string) => readRun(runDeps, episodeId, runId, clips);
  const callbacks = startCallbackWorker({ config, redis, readRun: readRunForCallback, log });
  // A failed run handed to the fallback variant takes its callbacks along: they end up on the
  // fallback's callbacks queue, delivered from here too (this process holds the secrets).
  const fallbackCallbacks = config.fallback
    ? startCallbackWorker({ config: { ...config, queuePrefix: config.fallback.queuePrefix }, redis, readRun: readRunForCallback, log })
    : undefined;
  log.info({ host: config.httpHost, port, auth: config.apiTokens.length > 0 ? 'bearer' : 'none (loopback only)' }, 'producer API listening');
  let closing: Promise<void> | undefined;
  /**
   * Stops listening, lets requests and callback deliveries in flight finish, closes the
   * connections. Each of those waits on Redis, so with Redis down it would wait for ever: after
   * PODPREVIEW_API_SHUTDOWN_GRACE_MS whatever is left is dropped (an undelivered callback stays
   * queued in Redis for the next process).
   */
  const close = () => {
    closing ??= (async () => {
      const graceful = (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await callbacks.close();
        await fallbackCallbacks?.close();
        await closeQueues(queues);
        await results.close();
      })();
      graceful.catch((err: unknown) => log.warn({ err: String(err) }, 'closing the API'));
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, config.apiShutdownGraceMs, 'timeout').unref());
      if (
        (await Promise.race([
          graceful.then(
            () => 'done' as const,
            () => 'done' as const,
          ),
          timer,
        ])) === 'timeout'
      ) {
        log.warn({ graceMs: config.apiShutdownGraceMs }, 'shutdown grace over (Redis or the results table not answering): closing anyway');
        server.closeAllConnections();
        callbacks.abandon();
        fallbackCallbacks?.abandon();
        queues.redis.disconnect();
        await results.close().catch(() => {});
      }
    })();
    return closing;
  };
  if (o.exitOnSignal !== false) {
    const shutdown = () => void close().then(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  }
  return { server, url, close };
}

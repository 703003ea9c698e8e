import type { Server } from 'node:http';
import { closeQueues, connectRedis, createQueues } from '@podpreview/pipeline/client';
import { type Config, ConfigError, createLogger, redisTargetOf } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { createApi } from './api.ts';
import { isLoopbackHost } from './http/auth.ts';

export async function startApiServer(config: Config): Promise<Server> {
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
  const log = createLogger(config.logLevel, { app: 'producer' });
  // Fail at start, with the URL and the cause, rather than answer every request with 503.
  const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
  const results = createResultsSink(config);
  const app = createApi({ config, queues, results, log });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.httpPort, config.httpHost, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.httpPort;
  log.info({ host: config.httpHost, port, auth: config.apiTokens.length > 0 ? 'bearer' : 'none (loopback only)' }, 'producer API listening');
  const shutdown = () => {
    server.close(async () => {
      await closeQueues(queues);
      await results.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return server;
}

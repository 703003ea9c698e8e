import type { Server } from 'node:http';
import { createLogger, type Config } from '@podpreview/shared';
import { closeQueues, connectRedis, createQueues } from '@podpreview/pipeline/client';
import { createResultsSink } from '@podpreview/storage';
import { createApi } from './api.ts';

export async function startApiServer(config: Config): Promise<Server> {
  if (!config.redisUrl) throw new Error('REDIS_URL is not set: the API enqueues into the Redis the workers consume');
  const log = createLogger(config.logLevel, { app: 'producer' });
  // Fail at start, with the URL and the cause, rather than answer every request with 503.
  const queues = createQueues(await connectRedis(config.redisUrl, 'client', config.redisConnectTimeoutMs), config);
  const results = createResultsSink(config);
  const app = createApi({ config, queues, results, log });
  const server = app.listen(config.httpPort, () => log.info({ port: config.httpPort }, 'producer API listening'));
  const shutdown = () => {
    server.close(async () => {
      await closeQueues(queues);
      await results.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return server;
}

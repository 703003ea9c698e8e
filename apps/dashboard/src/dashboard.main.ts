import type { Server } from 'node:http';
import { startMonitor } from '@podpreview/ops';
import { closeQueues, connectRedis, createQueues } from '@podpreview/pipeline/client';
import { ConfigError, checkDashboardBind, createLogger, loadConfig, RedisUnavailableError, redisTargetOf } from '@podpreview/shared';
import { createBlobStore, createResultsSink } from '@podpreview/storage';
import { createDashboard } from './dashboard.ts';

/** `podpreview-dashboard`: the operator dashboard, Bull Board and the queue gauges. */
async function main(): Promise<void> {
  const config = loadConfig();
  const redis = redisTargetOf(config);
  if (!redis)
    throw new ConfigError('REDIS_URL (or PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): the dashboard reads the queues in that Redis');
  checkDashboardBind(config.dashboard);
  const log = createLogger(config.logLevel, { app: 'dashboard' });
  const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
  const results = createResultsSink(config);
  const monitor = startMonitor({ queues, results, config, log });
  const app = createDashboard({ config, queues, results, blobs: createBlobStore(config), monitor, log });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.dashboard.port, config.dashboard.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.dashboard.port;
  log.info({ url: `http://${config.dashboard.host}:${port}/` }, 'dashboard listening');
  // The URL on stdout, for people and for whatever started this process.
  process.stdout.write(`dashboard: http://${config.dashboard.host}:${port}/\n`);
  const stop = () => {
    monitor.stop();
    server.close(async () => {
      await closeQueues(queues);
      await results.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`podpreview-dashboard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof RedisUnavailableError ? 3 : 1);
});

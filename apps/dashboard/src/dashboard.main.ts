import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Command, Option } from 'commander';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * `podpreview-dashboard`: the operator dashboard, Bull Board and the queue metrics. Only
 * commander loads before the arguments are read: `--help` and `--version` start no server.
 */
const opts = new Command('podpreview-dashboard')
  .description('the operator dashboard (overview, charts, episodes), Bull Board at /admin/queues and the queue metrics at /metrics')
  .version(VERSION, '-V, --version', 'print the version and exit')
  .addOption(new Option('-r, --redis-url <url>', 'Redis of the queues').env('REDIS_URL'))
  .addOption(new Option('-H, --host <address>', 'address to bind; anything but loopback needs PODPREVIEW_DASHBOARD_USERS').env('PODPREVIEW_DASHBOARD_HOST'))
  .addOption(new Option('-P, --port <port>', 'port (0: any free port)').env('PODPREVIEW_DASHBOARD_PORT'))
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Examples:
  $ podpreview-dashboard                               # http://127.0.0.1:8081/
  $ PODPREVIEW_DASHBOARD_USERS=oncall:correct-horse-battery podpreview-dashboard -H 0.0.0.0

Every setting is an environment variable too: see docs/configuration.md.`,
  )
  .parse()
  .opts<{ redisUrl?: string; host?: string; port?: string }>();

const { startMonitor } = await import('@podpreview/ops');
const { closeQueues, connectRedis, createQueues } = await import('@podpreview/runs');
const { checkDashboardBind, childEnv, ConfigError, createLogger, errorMessage, loadConfig, RedisUnavailableError, redisTargetOf } = await import(
  '@podpreview/shared'
);
const { createBlobStore, createResultsSink } = await import('@podpreview/storage');
const { createDashboard } = await import('./dashboard.ts');

async function main(): Promise<void> {
  const config = loadConfig(childEnv({ REDIS_URL: opts.redisUrl, PODPREVIEW_DASHBOARD_HOST: opts.host, PODPREVIEW_DASHBOARD_PORT: opts.port }));
  const redis = redisTargetOf(config);
  if (!redis)
    throw new ConfigError('REDIS_URL (or PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): the dashboard reads the queues in that Redis');
  checkDashboardBind(config.dashboard);
  const log = createLogger(config.logLevel, { app: 'dashboard' }, config);
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
  process.stderr.write(`podpreview-dashboard: ${errorMessage(err)}\n`);
  process.exit(err instanceof RedisUnavailableError ? 3 : 1);
});

import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * `podpreview-worker --stages ensemble-a`: one process per stage in production (the GPU stages
 * on T4 machines), all stages in one process for local runs. Only commander loads before the
 * arguments are read, so `--help` and `--version` answer at once and start nothing.
 */
const program = new Command('podpreview-worker')
  .description('runs the workers of the chosen pipeline stages on the queues in Redis; SIGTERM drains in-flight jobs')
  .version(VERSION, '-V, --version', 'print the version and exit')
  .option('-s, --stages <list>', 'comma-separated stages to consume (preprocess, ensemble-a, ensemble-b, selection, sink), or "all"', 'all')
  .addOption(new Option('-r, --redis-url <url>', 'Redis of the queues').env('REDIS_URL'))
  .addOption(new Option('-m, --metrics-port <port>', '/metrics and /healthz port (0: off)').env('PODPREVIEW_WORKER_METRICS_PORT'))
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Examples:
  $ podpreview-worker --stages preprocess
  $ podpreview-worker -s ensemble-a,ensemble-b        # GPU machines
  $ podpreview-worker                                 # every stage in one process

Every setting is an environment variable too: see docs/configuration.md.`,
  )
  .parse();
const opts = program.opts<{ stages: string; redisUrl?: string; metricsPort?: string }>();

const { childEnv, createLogger, errorMessage, loadConfig, parseStageList, redisTargetOf, startTracing } = await import('@podpreview/shared');
const { startFleet } = await import('@podpreview/pipeline/worker');
const { startMetricsServer } = await import('./metrics.server.ts');
type Fleet = Awaited<ReturnType<typeof startFleet>>;

try {
  const config = loadConfig(childEnv({ REDIS_URL: opts.redisUrl, PODPREVIEW_WORKER_METRICS_PORT: opts.metricsPort }));
  const stages = parseStageList(opts.stages);
  const redis = redisTargetOf(config);
  if (!redis)
    throw new Error('REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): workers consume the queues in that Redis');
  const log = createLogger(config.logLevel, { app: 'worker', pid: process.pid }, config);
  const tracing = await startTracing(config, 'podpreview-worker');
  let fleet: Fleet | undefined;
  const metrics =
    config.workerMetricsPort > 0
      ? await startMetricsServer({ port: config.workerMetricsPort, host: config.workerMetricsHost, fleet: () => fleet, log })
      : undefined;
  fleet = await startFleet(config, redis, stages, log);
  const running = fleet;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new jobs, finishing in-flight ones');
    metrics?.close();
    const { forced } = await running.stop();
    log.info({ forced }, 'stopped');
    await tracing?.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  process.stderr.write(`podpreview-worker: ${errorMessage(err)}\n`);
  process.exit(1);
}

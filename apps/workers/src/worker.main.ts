import { Command } from 'commander';
import { createLogger, loadConfig, parseStageList, redisTargetOf } from '@podpreview/shared';
import { type Fleet, startFleet } from '@podpreview/pipeline/worker';
import { startMetricsServer } from './metrics.server.ts';

/**
 * `podpreview-worker --stages ensemble-a`: one process per stage in production (the GPU stages
 * on T4 machines), all stages in one process for local runs.
 */
const program = new Command('podpreview-worker').option('--stages <list>', 'comma-separated stages to consume, or "all"', 'all').parse();
const opts = program.opts<{ stages: string }>();

try {
  const config = loadConfig();
  const stages = parseStageList(opts.stages);
  const redis = redisTargetOf(config);
  if (!redis)
    throw new Error('REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): workers consume the queues in that Redis');
  const log = createLogger(config.logLevel, { app: 'worker', pid: process.pid });
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
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  process.stderr.write(`podpreview-worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

import { buildInfo, type Config, type Logger, type RedisTarget, type ResultRow, type StageName } from '@podpreview/shared';
import { type StageWorkers, startStageWorkers } from '../runtime/stage-workers.ts';
import { createHandlers } from './handlers.ts';
import { deleteIntermediates, sweepScratch } from './housekeeping.ts';
import { createServices, type Services } from './services.ts';

export interface Fleet extends StageWorkers {
  services: Services;
}

/**
 * A worker process's stages, wired: services, the stage functions built on them (models load
 * here, before the first job), and the runtime's BullMQ workers around them. `redis` may
 * still be coming (a private Redis starting): the models load meanwhile.
 */
export async function startFleet(config: Config, redis: RedisTarget | Promise<RedisTarget>, stages: StageName[], log: Logger): Promise<Fleet> {
  const services = createServices(config, log);
  let workers: StageWorkers;
  try {
    const [handlers, target] = await Promise.all([createHandlers(stages, services), redis]);
    const onRunEnd = config.keepIntermediateBlobs ? undefined : (row: ResultRow) => deleteIntermediates(services.blobs, row);
    const build = buildInfo(config.buildCommit).fingerprint;
    workers = await startStageWorkers({ config, redis: target, stages, handlers, results: services.results, log, build, ...(onRunEnd ? { onRunEnd } : {}) });
  } catch (err) {
    await services.close();
    throw err;
  }
  const sweep = () => sweepScratch(config.tempDir, config.tempMaxAgeMs, log).catch((err: unknown) => log.warn({ err: String(err) }, 'scratch sweep failed'));
  void sweep();
  const sweeper = setInterval(sweep, Math.min(config.tempMaxAgeMs, 3_600_000));
  sweeper.unref();
  log.info({ stages, models: services.loadedModelIds() }, 'workers ready');
  return {
    ...workers,
    services,
    stop: async (graceMs) => {
      clearInterval(sweeper);
      const stopped = await workers.stop(graceMs);
      await services.close();
      return stopped;
    },
  };
}

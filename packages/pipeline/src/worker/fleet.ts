import type { Config, Logger, StageName } from '@podpreview/shared';
import { type StageWorkers, startStageWorkers } from '../runtime/stage-workers.ts';
import { createHandlers } from './handlers.ts';
import { createServices, type Services } from './services.ts';

export interface Fleet extends StageWorkers {
  services: Services;
}

/**
 * A worker process's stages, wired: services, the stage functions built on them (models load
 * here, before the first job), and the runtime's BullMQ workers around them.
 */
export async function startFleet(config: Config, redisUrl: string, stages: StageName[], log: Logger): Promise<Fleet> {
  const services = createServices(config, log);
  let workers: StageWorkers;
  try {
    const handlers = await createHandlers(stages, services);
    workers = await startStageWorkers({ config, redisUrl, stages, handlers, results: services.results, log });
  } catch (err) {
    await services.close();
    throw err;
  }
  log.info({ stages, models: services.loadedModelIds() }, 'workers ready');
  return {
    ...workers,
    services,
    stop: async (graceMs) => {
      const stopped = await workers.stop(graceMs);
      await services.close();
      return stopped;
    },
  };
}

import { SAMPLE_RATE_HZ } from '@podpreview/audio';
import { buildInfo, type Config, type Logger, type RedisTarget, type ResultRow, type StageName } from '@podpreview/shared';
import type { StageHandler, StageHandlers } from '../runtime/outcome.ts';
import { type StageWorkers, startStageWorkers } from '../runtime/stage-workers.ts';
import { frontEndsWhileDecoding } from '../stages/ensemble-a.stage.ts';
import { EarlyStageA } from '../stages/stage-a.early.ts';
import { createHandlers } from './handlers.ts';
import { deleteIntermediates, sweepScratch } from './housekeeping.ts';
import { createServices, type Services } from './services.ts';

export interface Fleet extends StageWorkers {
  services: Services;
}

/** Stages whose functions load models: slow to build, and not needed for an episode's first stage. */
const MODEL_STAGES: ReadonlySet<StageName> = new Set(['ensemble-a', 'ensemble-b']);

export interface FleetOptions {
  /**
   * Return once the stages without models run, and load the models meanwhile: a model stage's
   * first job waits for them (a load that fails fails that job, which retries). For a process
   * that runs one batch of episodes (`enqueue --wait`): preprocessing the first episode hides
   * the load. Unset, a model that cannot load fails the start, as a worker fleet wants.
   */
  modelsInBackground?: boolean;
  /**
   * This process is its queues' only consumer (a private Redis): an episode it preprocesses
   * reaches its own stage A, so stage A may begin while the episode decodes
   * (PODPREVIEW_EARLY_STAGE_A=auto).
   */
  soleConsumer?: boolean;
}

/** Stage A begun while preprocess decodes, where this process runs both and the setting allows it. */
export function earlyStageAFor(config: Config, stages: StageName[], services: Services, o: FleetOptions): EarlyStageA | undefined {
  const { mode, keepMs } = config.earlyStageA;
  if (!stages.includes('preprocess') || !stages.includes('ensemble-a')) return undefined;
  if (mode === 'off' || (mode === 'auto' && o.soleConsumer !== true)) return undefined;
  return new EarlyStageA({
    start: frontEndsWhileDecoding(() => services.models('ensemble-a').then((r) => r.lease())),
    // Decoding, and decoded waiting for stage A: each holds its episode's audio in memory.
    maxEpisodes: config.concurrency.preprocess + config.concurrency['ensemble-a'],
    keepMs,
    maxSamples: Math.ceil((config.inputs.maxDurationSec + 1) * SAMPLE_RATE_HZ),
  });
}

/**
 * A worker process's stages, wired: services, the stage functions built on them (models load
 * here, before the first job), and the runtime's BullMQ workers around them. `redis` may
 * still be coming (a private Redis starting): the models load meanwhile.
 */
export async function startFleet(
  config: Config,
  redis: RedisTarget | Promise<RedisTarget>,
  stages: StageName[],
  log: Logger,
  o: FleetOptions = {},
): Promise<Fleet> {
  const services = createServices(config, log);
  const early = earlyStageAFor(config, stages, services, o);
  let workers: StageWorkers;
  try {
    const later = o.modelsInBackground ? stages.filter((s) => MODEL_STAGES.has(s)) : [];
    const loading = createHandlers(later, services, early ? { early } : {});
    // Seen by the jobs that wait on it; a failure is theirs (and logged), not an unhandled rejection.
    loading.catch((err: unknown) => log.error({ err: String(err) }, 'models failed to load; model stages fail their jobs'));
    const waitingFor =
      <S extends StageName>(stage: S): StageHandler<S> =>
      async (input, ctx) => {
        const handler = (await loading)[stage] as StageHandler<S> | undefined;
        if (!handler) throw new Error(`stage ${stage} has no handler`);
        return handler(input, ctx);
      };
    const [now, target] = await Promise.all([
      createHandlers(
        stages.filter((s) => !later.includes(s)),
        services,
        early ? { early } : {},
      ),
      redis,
    ]);
    const handlers: Partial<StageHandlers> = { ...now };
    for (const stage of later) (handlers as Record<StageName, unknown>)[stage] = waitingFor(stage);
    const onRunEnd = config.keepIntermediateBlobs ? undefined : (row: ResultRow) => deleteIntermediates(services.blobs, row);
    // Read (git, the installed packages' list: ~15 ms of this thread) a second after the start,
    // while a CLI's first episode decodes, or by the first row if it comes sooner; the results
    // table's SDK loads then too, off the first row's way.
    let fingerprint: string | undefined;
    const build = () => (fingerprint ??= buildInfo(config.buildCommit).fingerprint);
    setTimeout(() => {
      services.results.prepare?.();
      try {
        build();
      } catch {
        // The first row meets it.
      }
    }, 1000).unref();
    workers = await startStageWorkers({ config, redis: target, stages, handlers, results: services.results, log, build, ...(onRunEnd ? { onRunEnd } : {}) });
  } catch (err) {
    early?.clear();
    await services.close();
    throw err;
  }
  const sweep = () => sweepScratch(config.tempDir, config.tempMaxAgeMs, log).catch((err: unknown) => log.warn({ err: String(err) }, 'scratch sweep failed'));
  void sweep();
  const sweeper = setInterval(sweep, Math.min(config.tempMaxAgeMs, 3_600_000));
  sweeper.unref();
  log.info(
    { stages, models: services.loadedModelIds(), ...(o.modelsInBackground ? { modelsLoading: true } : {}), ...(early ? { earlyStageA: true } : {}) },
    'workers ready',
  );
  return {
    ...workers,
    services,
    stop: async (graceMs) => {
      clearInterval(sweeper);
      const stopped = await workers.stop(graceMs);
      early?.clear();
      await services.close();
      return stopped;
    },
  };
}

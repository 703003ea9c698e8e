import type { Worker } from 'bullmq';
import type { Config, Logger, RedisTarget, ResultRow, ResultsSink, StageName } from '@podpreview/shared';
import { type CallbackTarget, closeQueues, createCallbackQueue, createQueues, createRedis, enqueueCallbacks, type StageQueues } from '@podpreview/runs';
import { startAsrUpgrade } from './asr-upgrade.ts';
import { startFailedJobSweep } from './failed-sweep.ts';
import { handOverToFallback, startFallbackSweep } from './fallback.ts';
import type { StageHandler, StageHandlers } from './outcome.ts';
import type { EndedRow } from './result-row.ts';
import { createResultsWriter, type ResultsWriter } from './results-writer.ts';
import { pipelineMetricsRegistry } from './metrics.ts';
import { PriorityLanes } from './priority-lane.ts';
import { startStageWorker } from './stage.worker.ts';

export interface StageWorkersOptions {
  config: Config;
  /** A `redis://` URL, or Sentinel or cluster settings (redisTargetOf). */
  redis: RedisTarget;
  stages: StageName[];
  /** A handler for every stage in `stages` (the wiring above the runtime builds them). */
  handlers: Partial<StageHandlers>;
  results: ResultsSink;
  /** The build fingerprint every result row records (buildInfo().fingerprint), asked for as a row needs it. */
  build?: () => string;
  /** Called once a run has ended (after its row is safe), e.g. to delete its intermediate blobs. */
  onRunEnd?: (row: ResultRow) => Promise<void>;
  log: Logger;
}

export interface StageWorkers {
  stages: StageName[];
  queues: StageQueues;
  workers: Worker[];
  results: ResultsWriter;
  /** The ioredis status of each connection this process made, by role (`end`: closed for good). */
  redisStatus(): Record<string, string>;
  /** Stops taking jobs, lets in-flight jobs finish for up to `graceMs`, closes connections. */
  stop(graceMs?: number): Promise<{ forced: boolean }>;
}

/**
 * Starts one BullMQ worker per stage in this process. Both connections are worker
 * connections: next-hop adds, run records and claim releases wait through a Redis restart
 * instead of failing the job.
 */
export async function startStageWorkers(o: StageWorkersOptions): Promise<StageWorkers> {
  const { config, log } = o;
  // Variants share metric names (and may share a Prometheus): the rules pick production's series.
  pipelineMetricsRegistry.setDefaultLabels({ variant: config.variant });
  const connection = createRedis(o.redis, 'worker');
  // Workers never enqueue new episodes, so they need no shadow variant's queues; the fallback's
  // they do, to hand runs over.
  const queues = createQueues(createRedis(o.redis, 'worker'), {
    queuePrefix: config.queuePrefix,
    variant: config.variant,
    fallback: config.fallback,
    tracing: config.tracing,
    runStateTtlMs: config.runStateTtlMs,
    runIndexMax: config.runIndexMax,
    runsPerEpisodeMax: config.runsPerEpisodeMax,
  });
  const results = createResultsWriter({
    results: o.results,
    redis: queues.redis,
    prefix: queues.prefix,
    log,
    retryMs: config.deadLetterRetryMs,
    maxKept: config.deadLetterMax,
  });
  const callbackQueue = createCallbackQueue(queues.redis, config);
  /**
   * The row first (kept in Redis if the table is down), then the run's end and the episode's
   * release, a failed run's hand-over to the fallback variant, then the completion callbacks the
   * run owes (queued: delivered off this path; a handed-over run's go with its fallback run), then clean-up.
   */
  const endRun = async (ended: EndedRow, e: { inputRejected?: boolean } = {}) => {
    // The credential that started the run (the row keeps it once the record has expired): from the
    // payload of a run that ended well, else from the record (a failed job's payload may be anything).
    const owner = ended.owner !== undefined ? ended.owner : await queues.runs.ownerOf(ended.runId);
    const row: ResultRow = { ...ended, build: o.build?.() ?? null, variant: config.variant, owner };
    await results.write(row);
    const callbacks = await queues.runs.recordEnded(row);
    const handedTo = row.status === 'failed' && !e.inputRejected ? await handOver(row) : undefined;
    if (handedTo && callbacks.length > 0) await passCallbacks(handedTo, callbacks);
    else if (callbacks.length > 0) await enqueueCallbacks(callbackQueue, config, row, callbacks);
    await o.onRunEnd?.(row).catch((err: unknown) => log.warn({ runId: row.runId, err: String(err) }, 'clean-up after the run failed'));
    if (config.asr.mode === 'upgrade' && row.status === 'succeeded' && row.path === 'audio-only') {
      await startAsrUpgrade(queues, config, row, log).catch((err: unknown) =>
        log.warn({ runId: row.runId, err: String(err) }, 'could not start the speech-to-text upgrade run'),
      );
    }
  };
  /** A run that failed after its retries goes to the fallback variant, where one is configured; bad input does not (it would fail there too). */
  const handOver = (row: ResultRow) =>
    queues.fallback
      ? handOverToFallback(queues, config, row.runId, 'failed', log).catch((err: unknown) => {
          log.error({ runId: row.runId, err: String(err) }, 'could not hand the failed run to the fallback variant');
          return undefined;
        })
      : Promise.resolve(undefined);
  const passCallbacks = async (fallbackRunId: string, callbacks: CallbackTarget[]) => {
    for (const c of callbacks) await queues.fallback?.runs.addCallback(fallbackRunId, c);
  };
  const sweep = startFallbackSweep(queues, config, log);
  const failedSweep = startFailedJobSweep(queues, o.stages, endRun, config, log);
  const lanes = config.priorityLane ? new PriorityLanes({ holdMs: config.priorityHoldMs, holdBetweenMs: config.priorityHoldBetweenMs, log }) : undefined;
  // The lanes subscribe while the workers connect (~15 ms each, one after the other).
  const listening = lanes?.listen(queues);
  const workers = o.stages.map((stage) => {
    const handler = o.handlers[stage] as StageHandler<typeof stage> | undefined;
    if (!handler) throw new Error(`stage ${stage} has no handler`);
    return startStageWorker(stage, handler, { config, connection, queues, endRun, log, ...(lanes ? { lanes } : {}) });
  });
  await Promise.all([listening, ...workers.map((w) => w.waitUntilReady())]);
  return {
    stages: o.stages,
    queues,
    workers,
    results,
    redisStatus: () => ({ workers: connection.status, queues: queues.redis.status }),
    stop: async (graceMs = config.shutdownGraceMs) => {
      let forced = false;
      lanes?.close();
      // The lanes started so far (each at its first priority job).
      const everyWorker = [...workers, ...(lanes?.laneWorkers() ?? [])];
      const graceful = Promise.all(everyWorker.map((w) => w.close()));
      const timer = new Promise<'timeout'>((r) => setTimeout(r, graceMs, 'timeout').unref());
      if ((await Promise.race([graceful, timer])) === 'timeout') {
        // In-flight jobs are handed back: their locks lapse and another worker picks them up.
        forced = true;
        await Promise.all(everyWorker.map((w) => w.close(true)));
      }
      results.stop();
      sweep.stop();
      failedSweep.stop();
      await callbackQueue.close();
      await closeQueues(queues);
      connection.disconnect();
      return { forced };
    },
  };
}

import { SpanStatusCode, trace } from '@opentelemetry/api';
import { type ConnectionOptions, type Job, Worker } from 'bullmq';
import {
  type Config,
  errorMessage,
  type JobSummary,
  type Logger,
  MAX_PAYLOAD_BYTES,
  PodpreviewError,
  parseStageInput,
  StageOutputError,
  type StageName,
  StageTimeoutError,
  stageSpec,
  TRACER_NAME,
  urgentWorkStarted,
} from '@podpreview/shared';
import {
  announceUrgent,
  isOversizedJobError,
  jobOptions,
  PRIORITY_LANE_SUFFIX,
  PRIORITY_URGENT,
  queueKeyPrefix,
  queueTelemetry,
  type StageQueues,
} from '@podpreview/runs';
import { RecordedFailureError } from './errors/recorded-failure.error.ts';
import { RejectedInputError } from './errors/rejected-input.error.ts';
import { pipelineMetrics } from './metrics.ts';
import type { StageHandler } from './outcome.ts';
import type { PriorityLanes } from './priority-lane.ts';
import { cancelledRow, type EndedRow, failureRow, terminalRow } from './result-row.ts';

export interface StageWorkerDeps {
  config: Config;
  connection: ConnectionOptions;
  queues: StageQueues;
  /**
   * Records the run's end: run state, result row (never lost), blob clean-up, claim release.
   * `inputRejected`: it failed on bad input (no fallback can do better).
   */
  endRun(row: EndedRow, o?: { inputRejected?: boolean }): Promise<void>;
  log: Logger;
  /** This process's priority lanes (PODPREVIEW_PRIORITY_LANE): the stage gets one beside its worker. */
  lanes?: PriorityLanes;
}

/**
 * Wraps a stage function as a BullMQ worker: validates the payload, times the stage (and
 * aborts it past PODPREVIEW_STAGE_TIMEOUT_MS), hands the output to the next queue from the
 * registry, ends the run when the stage says so. Bad input becomes an UnrecoverableError (fails
 * at once, no retries); anything else retries with backoff.
 */
export function startStageWorker<S extends StageName>(stage: S, handler: StageHandler<S>, deps: StageWorkerDeps): Worker {
  const { config, queues, endRun } = deps;
  const log = deps.log.child({ stage });
  const spec = stageSpec(stage);
  // The per-hop series, labelled once: a labelled call hashes its labels every time.
  const seconds = pipelineMetrics.seconds.labels({ stage });
  const forwarded = pipelineMetrics.jobs.labels({ stage, outcome: 'forwarded' });

  const processor = async (job: Job): Promise<JobSummary> => {
    // Made only when something is logged: a child logger per hop is measurable in the chain bench.
    const jobLog = () => log.child({ runId: job.id, episodeId: (job.data as { episodeId?: string })?.episodeId, attempt: job.attemptsMade + 1 });
    try {
      // A stage boundary: a run a client cancelled stops here, before this stage's work.
      if (await queues.runs.isCancelRequested(String(job.id))) {
        const row = cancelledRow(stage, String(job.id), job.data, Date.now());
        await endRun(row);
        pipelineMetrics.jobs.inc({ stage, outcome: 'cancelled' });
        jobLog().info('run cancelled');
        return { status: 'cancelled', previewStartSec: null, previewEndSec: null, speechFraction: null, latencyMs: row.latencyMs, clipKey: null };
      }
      const input = parseStageInput(stage, job.data);
      const started = performance.now();
      const work = () => withTimeout(stage, config.stageTimeoutMs, (signal) => handler(input, { signal, attempt: job.attemptsMade + 1 }), jobLog);
      const outcome = config.tracing.enabled ? await traced(stage, input, work) : await work();
      const timingsMs = { ...input.timingsMs, [stage]: Math.round(performance.now() - started) };
      seconds.observe(timingsMs[stage]! / 1000);
      if (outcome.kind === 'next') {
        const next = spec.next;
        if (!next) throw new Error(`stage ${stage} is last in the registry but returned a next payload`);
        try {
          await queues[next].add(next, { ...outcome.payload, timingsMs }, jobOptions(config, input.runId, input.priority));
        } catch (err) {
          throw isOversizedJobError(err) ? new StageOutputError(stage, next, `jobs carry keys, not data (limit ${MAX_PAYLOAD_BYTES} bytes)`) : err;
        }
        if (input.priority) await announceUrgent(queues, next).catch(() => {});
        if (log.isLevelEnabled('debug')) jobLog().debug({ ms: timingsMs[stage] }, 'stage done');
        forwarded.inc();
        return { status: 'forwarded', next };
      }
      const row = terminalRow({ ...input, timingsMs }, outcome.result, Date.now());
      await endRun(row);
      pipelineMetrics.jobs.inc({ stage, outcome: row.status });
      pipelineMetrics.latency.observe({ status: row.status }, row.latencyMs / 1000);
      if (log.isLevelEnabled('info')) jobLog().info({ status: row.status, latencyMs: row.latencyMs, previewStartSec: row.previewStartSec }, 'run finished');
      const { status, previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey } = row;
      return { status: status as 'succeeded' | 'deduplicated', previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey };
    } catch (err) {
      if (err instanceof PodpreviewError && !err.retryable) {
        // Final on the first try: record it now, while the original error class is at hand.
        await endRun(failureRow(stage, String(job.id), job.data, err, Date.now()), { inputRejected: true });
        jobLog().warn({ code: err.code, err: err.message }, 'input rejected');
        pipelineMetrics.jobs.inc({ stage, outcome: 'rejected' });
        throw new RejectedInputError(err);
      }
      pipelineMetrics.jobs.inc({ stage, outcome: 'error' });
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        // The last attempt: the run's end is recorded before BullMQ fails the job, so a worker
        // that dies in between leaves a row and a record, not a failed job nobody wrote down.
        const recorded = await endRun(failureRow(stage, String(job.id), job.data, err, Date.now())).then(
          () => true,
          (e: unknown) => {
            jobLog().error({ err: String(e) }, 'could not record the failure now; the failed-job sweep will');
            return false;
          },
        );
        if (recorded) {
          jobLog().error({ err: errorMessage(err), stack: (err as Error)?.stack }, 'run failed');
          throw new RecordedFailureError(err);
        }
      }
      throw err;
    }
  };

  const lanes = deps.lanes;
  // Only a priority job is tracked: it holds this process's normal starts back (the lanes) and
  // lowers the CPU priority of its normal runs' ffmpeg. A normal one runs as it is.
  const tracked = (job: Job) => {
    if (job.opts.priority !== PRIORITY_URGENT) return processor(job);
    const ended = urgentWorkStarted();
    const work = () => processor(job);
    return (lanes ? lanes.track(work, (r) => (r.status === 'forwarded' ? r.next : undefined)) : work()).finally(ended);
  };
  const options = (concurrency: number, name: string) => ({
    connection: deps.connection,
    prefix: queueKeyPrefix(config.queuePrefix, spec.queue, queues.redis.isCluster),
    concurrency,
    // The lock is renewed every lockDuration/2; a job whose worker died is found by the stall
    // check once the lock has lapsed, so it runs again within lockDuration + stalledInterval.
    lockDuration: config.lockDurationMs,
    stalledInterval: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
    removeOnComplete: { count: config.keepCompletedJobs },
    removeOnFail: { count: config.keepFailedJobs },
    name,
    // Exact per-minute completed/failed counts in Redis (Queue.getMetrics): the dashboard's rates.
    metrics: { maxDataPoints: config.queueMetricsMaxPoints },
    telemetry: queueTelemetry(config),
  });
  const worker = new Worker(spec.queue, tracked, options(config.concurrency[stage], `podpreview-${stage}`));
  watch(worker);
  if (lanes) {
    lanes.addNormal(worker);
    const startLane = () => {
      const lane = new Worker(
        spec.queue,
        async (job: Job) => {
          try {
            return await tracked(job);
          } finally {
            await lanes.laneDone(stage);
          }
        },
        options(1, `podpreview-${stage}${PRIORITY_LANE_SUFFIX}`),
      );
      watch(lane);
      return lane;
    };
    lanes.addLane(stage, startLane, queues[stage]);
  }
  return worker;

  function watch(worker: Worker): void {
    worker.on('stalled', (runId, previous) => {
      pipelineMetrics.stalls.inc({ stage });
      log.warn({ runId, was: previous }, 'job stalled (its worker died or blocked past the lock); it runs again');
    });

    // Retries exhausted, or the job stalled too often (a worker died mid-job): the processor
    // never got to record these, so the failure row is written here.
    worker.on('failed', (job, err) => {
      if (!job) return;
      const jobLog = log.child({ runId: job.id, episodeId: (job.data as { episodeId?: string })?.episodeId, attempt: job.attemptsMade });
      void (async () => {
        if ((err as { recorded?: boolean }).recorded === true) return;
        if ((await job.getState()) !== 'failed') {
          jobLog.warn({ err: err.message, stack: err.stack }, 'attempt failed; will retry');
          return;
        }
        await endRun(failureRow(stage, String(job.id), job.data, err, Date.now()));
        jobLog.error({ err: err.message, stack: err.stack }, 'run failed');
      })().catch((e: unknown) => log.error({ err: String(e) }, 'could not record failure row'));
    });
    worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  }
}

/**
 * The stage function's own span, under BullMQ's `process <queue>` span of the job, named by the
 * stage and carrying the run and episode ids (trace backends search by them).
 */
function traced<T>(stage: StageName, input: { runId: string; episodeId: string }, work: () => Promise<T>): Promise<T> {
  const attributes = { 'podpreview.stage': stage, 'podpreview.run_id': input.runId, 'podpreview.episode_id': input.episodeId };
  return trace.getTracer(TRACER_NAME).startActiveSpan(`stage ${stage}`, { attributes }, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof PodpreviewError ? err.code : 'internal' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs the stage with an abort signal that fires after `timeoutMs`; the stage hands it to its
 * child processes and fetches, which stop, and the job fails with StageTimeoutError. The job's
 * slot is freed only once the stage's work has stopped: model inference does not heed the
 * signal, and freeing the slot while it runs on would let the next job start beside it, past
 * the stage's concurrency.
 */
async function withTimeout<T>(stage: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>, log: () => Logger): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new StageTimeoutError(stage, timeoutMs));
  }, timeoutMs);
  const started = performance.now();
  try {
    const result = await run(controller.signal);
    if (timedOut) throw controller.signal.reason;
    return result;
  } catch (err) {
    if (!timedOut) throw err;
    const overMs = Math.round(performance.now() - started - timeoutMs);
    if (overMs > 1000) log().warn({ overMs }, 'stage timed out; its work took this long more to stop');
    throw controller.signal.reason;
  } finally {
    clearTimeout(timer);
  }
}

import { randomUUID } from 'node:crypto';
import { type Config, type Logger, PodpreviewError, type StageName } from '@podpreview/shared';
import { codeOfReason, failedSweepLockKey, luaScript, type StageQueues } from '@podpreview/runs';
import { type EndedRow, failureRow } from './result-row.ts';

/** Failed jobs looked at per stage and sweep: the newest, where a lost record would be. */
const SWEEP_BATCH = 200;
/** A failed job younger than this is left to the `failed` listener that is about to record it. */
const SETTLE_MS = 5000;

/** A failure known only from its job's failed reason: its code where it carries one, else `internal` (stalls: `worker_lost`). */
class FailedJobError extends PodpreviewError {
  constructor(reason: string) {
    const code = /stalled more than allowable limit/.test(reason) ? 'worker_lost' : codeOfReason(reason);
    super(code, reason, { retryable: code === 'internal' || code === 'worker_lost' });
    this.name = 'FailedJobError';
  }
}

/**
 * Records the end of runs whose job failed but whose end nobody recorded: the worker that
 * failed it died before it wrote the row (a stalled job failed by another worker's stall
 * check, whose `failed` listener runs in a process that can die too). Every `everyMs`, one
 * process of the fleet (a lease in Redis) reads the newest failed jobs of its stages and ends
 * each run whose record still says `queued`, as the listener would have. Returns how many.
 */
export async function sweepFailedJobs(
  queues: StageQueues,
  stages: readonly StageName[],
  endRun: (row: EndedRow, o?: { inputRejected?: boolean }) => Promise<void>,
  o: { leaseMs: number; nowMs?: number },
): Promise<number> {
  const { redis, prefix } = queues;
  const lock = failedSweepLockKey(prefix, stages);
  const token = randomUUID();
  if ((await redis.set(lock, token, 'PX', o.leaseMs, 'NX')) !== 'OK') return 0;
  const nowMs = o.nowMs ?? Date.now();
  let ended = 0;
  try {
    for (const stage of stages) {
      const jobs = (await queues[stage].getFailed(0, SWEEP_BATCH - 1)).filter((j) => j?.id && (j.finishedOn ?? nowMs) <= nowMs - SETTLE_MS);
      if (jobs.length === 0) continue;
      const states = await queues.runs.states(jobs.map((j) => String(j.id)));
      for (const [i, job] of jobs.entries()) {
        if (states[i]?.state !== 'queued') continue;
        const err = new FailedJobError(job.failedReason ?? 'failed');
        await endRun(failureRow(stage, String(job.id), job.data, err, job.finishedOn ?? nowMs), { inputRejected: !err.retryable });
        ended++;
      }
    }
    return ended;
  } finally {
    await luaScript('delete-if').run(redis, [lock], [token]);
  }
}

/** Runs sweepFailedJobs every config.failedJobSweepMs in this worker process; stop() ends it. */
export function startFailedJobSweep(
  queues: StageQueues,
  stages: readonly StageName[],
  endRun: (row: EndedRow, o?: { inputRejected?: boolean }) => Promise<void>,
  config: Pick<Config, 'failedJobSweepMs'>,
  log: Logger,
): { stop(): void } {
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepFailedJobs(queues, stages, endRun, { leaseMs: Math.max(60_000, config.failedJobSweepMs * 2) })
      .then((n) => {
        if (n > 0) log.warn({ runs: n }, 'recorded the end of runs whose failed job had no record (their worker died)');
      })
      .catch((err: unknown) => log.warn({ err: String(err) }, 'failed-job sweep failed'))
      .finally(() => {
        sweeping = false;
      });
  }, config.failedJobSweepMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

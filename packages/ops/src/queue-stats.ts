import type { Job } from 'bullmq';
import { PRIORITY_NORMAL, PRIORITY_URGENT, type StageQueues } from '@podpreview/pipeline/client';
import { STAGES, type StageName } from '@podpreview/shared';

/** One stage queue at a glance: what the overview, the alerts and the Prometheus gauges show. */
export interface QueueStats {
  stage: StageName;
  /** Not started yet, the prioritized set included (all our jobs have a priority). */
  waiting: number;
  active: number;
  /** Waiting out a retry backoff. */
  delayed: number;
  failed: number;
  /** Age of the oldest job not yet started, 0 when none waits. */
  oldestWaitingSec: number;
  /** Jobs finished in the last minute. */
  completedLastMin: number;
  /** failed / (completed + failed) over the alert window; 0 with nothing finished. */
  failureRate: number;
  /** Processing time (start to finish) of recently completed jobs. */
  processingP50Ms: number | null;
  processingP95Ms: number | null;
  workers: number;
}

/** How many recently finished jobs per queue the rates and percentiles are computed from. */
const SAMPLE = 500;

/**
 * Reads every stage queue through BullMQ's public API. Rates and percentiles come from the
 * finished jobs BullMQ still keeps (PODPREVIEW_KEEP_*_JOBS, newest first), so they are exact
 * while a window's jobs fit in that; Prometheus computes exact rates from the workers' counters.
 */
export async function queueStats(queues: StageQueues, failureWindowMin: number, nowMs = Date.now()): Promise<QueueStats[]> {
  return Promise.all(
    STAGES.map(async ({ name }): Promise<QueueStats> => {
      const q = queues[name];
      const [counts, workers, perPriority, completed, failed] = await Promise.all([
        q.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed'),
        q.getWorkersCount(),
        q.getCountsPerPriority([PRIORITY_URGENT, PRIORITY_NORMAL]),
        q.getJobs(['completed'], 0, SAMPLE - 1, false),
        q.getJobs(['failed'], 0, SAMPLE - 1, false),
      ]);
      const oldest = await oldestWaiting(queues, name, perPriority[PRIORITY_URGENT] ?? 0);
      const windowStart = nowMs - failureWindowMin * 60_000;
      const finishedSince = (jobs: Job[], since: number) => jobs.filter((j) => (j.finishedOn ?? 0) >= since).length;
      const completedInWindow = finishedSince(completed, windowStart);
      const failedInWindow = finishedSince(failed, windowStart);
      const durations = completed.flatMap((j) => (j.finishedOn && j.processedOn ? [j.finishedOn - j.processedOn] : [])).sort((a, b) => a - b);
      return {
        stage: name,
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingSec: oldest === undefined ? 0 : Math.max(0, (nowMs - oldest) / 1000),
        completedLastMin: finishedSince(completed, nowMs - 60_000),
        failureRate: completedInWindow + failedInWindow === 0 ? 0 : failedInWindow / (completedInWindow + failedInWindow),
        processingP50Ms: percentile(durations, 0.5),
        processingP95Ms: percentile(durations, 0.95),
        workers,
      };
    }),
  );
}

/**
 * The oldest job not started: the head of the plain wait list, and the head of each priority
 * class in the prioritized set (ordered by priority, then by arrival), whichever came first.
 */
async function oldestWaiting(queues: StageQueues, stage: StageName, urgentCount: number): Promise<number | undefined> {
  const q = queues[stage];
  const [plain, urgent, normal] = await Promise.all([q.getWaiting(0, 0), q.getPrioritized(0, 0), q.getPrioritized(urgentCount, urgentCount)]);
  const stamps = [...plain, ...urgent, ...normal].map((j) => j.timestamp).filter((t) => Number.isFinite(t));
  return stamps.length > 0 ? Math.min(...stamps) : undefined;
}

/** Nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

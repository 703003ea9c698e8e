import type { Metrics, Queue } from 'bullmq';
import { PRIORITY_NORMAL, PRIORITY_URGENT, type StageQueues, stageWorkerCount } from '@podpreview/runs';
import { STAGES, type StageName, type VariantName } from '@podpreview/shared';

/** A queue the dashboard watches: a stage queue or a callbacks queue, of this variant or another on the same Redis. */
export interface WatchedQueue {
  /** Unique among the watched queues, e.g. `production/preprocess`, `fallback/callbacks`. */
  key: string;
  variant: VariantName;
  /** The BullMQ queue name (`preprocess`, …, `callbacks`). */
  name: string;
  /** The pipeline stage, null for a callbacks queue. */
  stage: StageName | null;
  queue: Queue;
}

/**
 * Every queue of the variants this process knows of: its own stages and callbacks, then the
 * fallback's (runs handed over, and their callbacks) and the shadow's (staging) stages.
 */
export function watchedQueues(queues: StageQueues): WatchedQueue[] {
  const of = (q: StageQueues, withCallbacks: boolean): WatchedQueue[] => [
    ...STAGES.map((s) => ({ key: `${q.variant}/${s.queue}`, variant: q.variant, name: s.queue, stage: s.name, queue: q[s.name] })),
    ...(withCallbacks ? [{ key: `${q.variant}/callbacks`, variant: q.variant, name: 'callbacks', stage: null, queue: q.callbacks }] : []),
  ];
  return [...of(queues, true), ...(queues.fallback ? of(queues.fallback, true) : []), ...(queues.shadow ? of(queues.shadow, false) : [])];
}

/** One queue at a glance: what the overview, the alerts and the Prometheus gauges show. */
export interface QueueCounts {
  /** Not started yet, the prioritized set included (all our jobs have a priority). */
  waiting: number;
  active: number;
  /** Waiting out a retry backoff. */
  delayed: number;
  failed: number;
  /** Age of the oldest job not yet started, 0 when none waits. */
  oldestWaitingSec: number;
  /** Jobs completed in the last whole minute (BullMQ's own per-minute metrics: exact). */
  completedLastMin: number;
  /** failed / (completed + failed) over the alert window, from the same metrics; 0 with nothing finished. */
  failureRate: number;
  workers: number;
}

export interface QueueStats extends QueueCounts {
  stage: StageName;
  /** Processing time of the stage in runs that ended in the last hour (their result rows); null without any. */
  processingP50Ms: number | null;
  processingP95Ms: number | null;
}

/**
 * Reads one queue through BullMQ's public API: counts from getJobCounts, rates from the
 * per-minute completed/failed counts BullMQ's workers keep (the `metrics` worker option,
 * PODPREVIEW_QUEUE_METRICS_MAX_POINTS), so they are exact at any throughput.
 */
export async function queueCounts(q: Queue, failureWindowMin: number, nowMs = Date.now()): Promise<QueueCounts> {
  const minutes = failureWindowMin + 1;
  const [counts, workers, perPriority, completed, failed] = await Promise.all([
    q.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed'),
    stageWorkerCount(q),
    q.getCountsPerPriority([PRIORITY_URGENT, PRIORITY_NORMAL]),
    q.getMetrics('completed', 0, minutes),
    q.getMetrics('failed', 0, minutes),
  ]);
  const oldest = await oldestWaiting(q, perPriority[PRIORITY_URGENT] ?? 0);
  const done = minuteCounts(completed, nowMs, minutes);
  const lost = minuteCounts(failed, nowMs, minutes);
  // The window: the current minute and the whole minutes before it.
  const doneInWindow = sum(done.slice(0, failureWindowMin + 1));
  const failedInWindow = sum(lost.slice(0, failureWindowMin + 1));
  return {
    waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    oldestWaitingSec: oldest === undefined ? 0 : Math.max(0, (nowMs - oldest) / 1000),
    completedLastMin: done[1] ?? 0,
    failureRate: doneInWindow + failedInWindow === 0 ? 0 : failedInWindow / (doneInWindow + failedInWindow),
    workers,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Jobs finished per minute, newest first (index 0: the minute `nowMs` is in), from BullMQ's
 * metrics. BullMQ updates them lazily: `meta.count - meta.prevCount` is the minute of
 * `meta.prevTS` (the last finish), `data[i]` the i-th whole minute before that one, and the
 * minutes after `prevTS` saw nothing finish (a finish would have moved it).
 */
export function minuteCounts(m: Metrics, nowMs: number, minutes: number): number[] {
  const out = new Array<number>(minutes).fill(0);
  if (!m.meta.prevTS) return out;
  const nowMin = Math.floor(nowMs / 60_000);
  const lastMin = Math.floor(m.meta.prevTS / 60_000);
  const put = (minute: number, n: number) => {
    const i = nowMin - minute;
    if (i >= 0 && i < minutes) out[i]! += n;
  };
  put(lastMin, m.meta.count - m.meta.prevCount);
  m.data.forEach((n, i) => {
    put(lastMin - 1 - i, n);
  });
  return out;
}

/**
 * The oldest job not started: the head of the plain wait list, and the head of each priority
 * class in the prioritized set (ordered by priority, then by arrival), whichever came first.
 */
async function oldestWaiting(q: Queue, urgentCount: number): Promise<number | undefined> {
  const [plain, urgent, normal] = await Promise.all([q.getWaiting(0, 0), q.getPrioritized(0, 0), q.getPrioritized(urgentCount, urgentCount)]);
  const stamps = [...plain, ...urgent, ...normal].map((j) => j.timestamp).filter((t) => Number.isFinite(t));
  return stamps.length > 0 ? Math.min(...stamps) : undefined;
}

/** Nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

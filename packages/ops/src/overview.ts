import type { StageQueues } from '@podpreview/pipeline/client';
import type { Config, ResultsSink } from '@podpreview/shared';
import { type AlertState, evaluateAlerts } from './alerts.ts';
import { percentile, type QueueStats, queueStats } from './queue-stats.ts';

export interface Overview {
  atMs: number;
  queues: (QueueStats & { alert: AlertState })[];
  /** Ingest (enqueue) to preview, over runs that finished in the last hour. */
  latency: { runs: number; p50Ms: number | null; p95Ms: number | null };
  /** Failed runs of the last hour by error code. */
  failuresByReason: Record<string, number>;
}

/** Runs read from the results table for the last-hour figures; more than this is sampled (newest). */
const HOUR_LIMIT = 20_000;

/** Everything the overview page shows, from the queues and the results table. */
export async function collectOverview(
  queues: StageQueues,
  results: ResultsSink,
  config: Pick<Config, 'alerts'>,
  previous?: Overview,
  nowMs = Date.now(),
): Promise<Overview> {
  const [stats, rows] = await Promise.all([queueStats(queues, config.alerts.failureWindowMin, nowMs), results.finishedSince(nowMs - 3_600_000, HOUR_LIMIT)]);
  const before = new Map(previous?.queues.map((q) => [q.stage, q.alert]));
  const latencies = rows
    .filter((r) => r.status !== 'failed')
    .map((r) => r.latencyMs)
    .sort((a, b) => a - b);
  const failuresByReason: Record<string, number> = {};
  for (const r of rows) if (r.status === 'failed') failuresByReason[r.errorCode ?? 'unknown'] = (failuresByReason[r.errorCode ?? 'unknown'] ?? 0) + 1;
  return {
    atMs: nowMs,
    queues: stats.map((s) => ({ ...s, alert: evaluateAlerts(s, config.alerts.perStage[s.stage], config.alerts.clearRatio, before.get(s.stage)) })),
    latency: { runs: latencies.length, p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95) },
    failuresByReason,
  };
}

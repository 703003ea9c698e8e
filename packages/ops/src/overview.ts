import { deadLetterKey, type StageQueues } from '@podpreview/runs';
import { type Config, type ResultRow, type ResultsSink, STAGE_NAMES, type StageName, type VariantName } from '@podpreview/shared';
import { type AlertState, evaluateAlerts } from './alerts.ts';
import { percentile, type QueueCounts, type QueueStats, queueCounts, watchedQueues } from './queue-stats.ts';

/** A queue shown beside this variant's stages: callbacks, the fallback's and the shadow's. */
export interface OtherQueueStats extends QueueCounts {
  key: string;
  variant: VariantName;
  name: string;
  stage: StageName | null;
}

export interface Overview {
  atMs: number;
  /** This variant's stage queues, each with its alert state. */
  queues: (QueueStats & { alert: AlertState })[];
  /** Every other queue on this Redis the dashboard knows of (callbacks, fallback, staging). */
  others: OtherQueueStats[];
  /** Ingest (enqueue) to preview, over runs that finished in the last hour. */
  latency: { runs: number; p50Ms: number | null; p95Ms: number | null };
  /** Failed runs of the last hour by error code. */
  failuresByReason: Record<string, number>;
  /** Result rows waiting in Redis for the results table (it refused them). */
  deadLetterRows: number;
}

/** Runs read from the results table for the last-hour figures; more than this is sampled (newest). */
const HOUR_LIMIT = 20_000;

/** Sorted processing times of one stage in these rows. */
export const stageTimes = (rows: ResultRow[], stage: StageName) =>
  rows.flatMap((r) => (r.stageTimingsMs[stage] === undefined ? [] : [r.stageTimingsMs[stage]!])).sort((a, b) => a - b);

/** Sorted ingest→preview latencies of the rows that gave a preview. */
export const ingestLatencies = (rows: ResultRow[]) =>
  rows
    .filter((r) => r.status !== 'failed' && r.status !== 'cancelled')
    .map((r) => r.latencyMs)
    .sort((a, b) => a - b);

/** Everything the overview page shows, from the queues (BullMQ's counts and metrics) and the results table. */
export async function collectOverview(
  queues: StageQueues,
  results: ResultsSink,
  config: Pick<Config, 'alerts'>,
  previous?: Overview,
  nowMs = Date.now(),
): Promise<Overview> {
  return (await collectOverviewAndRows(queues, results, config, previous, nowMs)).overview;
}

/** The overview, and the last hour's result rows it was computed from (for the charts' series). */
export async function collectOverviewAndRows(
  queues: StageQueues,
  results: ResultsSink,
  config: Pick<Config, 'alerts'>,
  previous: Overview | undefined,
  nowMs: number,
): Promise<{ overview: Overview; rows: ResultRow[] }> {
  const watched = watchedQueues(queues);
  const [counts, rows, deadLetterRows] = await Promise.all([
    Promise.all(watched.map((w) => queueCounts(w.queue, config.alerts.failureWindowMin, nowMs))),
    results.finishedSince(nowMs - 3_600_000, HOUR_LIMIT),
    queues.redis.llen(deadLetterKey(queues.prefix)),
  ]);
  const before = new Map(previous?.queues.map((q) => [q.stage, q.alert]));
  const own = new Map<StageName, QueueCounts>();
  const others: OtherQueueStats[] = [];
  watched.forEach((w, i) => {
    if (w.variant === queues.variant && w.stage) own.set(w.stage, counts[i]!);
    else others.push({ key: w.key, variant: w.variant, name: w.name, stage: w.stage, ...counts[i]! });
  });
  const latencies = ingestLatencies(rows);
  const failuresByReason: Record<string, number> = {};
  for (const r of rows) if (r.status === 'failed') failuresByReason[r.errorCode ?? 'unknown'] = (failuresByReason[r.errorCode ?? 'unknown'] ?? 0) + 1;
  const overview: Overview = {
    atMs: nowMs,
    queues: STAGE_NAMES.map((stage) => {
      const times = stageTimes(rows, stage);
      const s: QueueStats = { stage, ...own.get(stage)!, processingP50Ms: percentile(times, 0.5), processingP95Ms: percentile(times, 0.95) };
      return { ...s, alert: evaluateAlerts(s, config.alerts.perStage[stage], config.alerts.clearRatio, before.get(stage)) };
    }),
    others,
    latency: { runs: latencies.length, p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95) },
    failuresByReason,
    deadLetterRows,
  };
  return { overview, rows };
}

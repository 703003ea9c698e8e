import type { StageQueues } from '@podpreview/runs';
import { type ResultRow, STAGE_NAMES, STAGES, type StageName } from '@podpreview/shared';
import type { Overview } from './overview.ts';
import { ingestLatencies, stageTimes } from './overview.ts';
import { minuteCounts, percentile } from './queue-stats.ts';
import type { DashboardSeries, SeriesPoint } from './series.ts';

export const DAY_MIN = 1440;

/** What the overview's charts draw: the recorded minutes of the last day, and BullMQ's own throughput. */
export interface History {
  atMs: number;
  /** Recorded minutes of the last day, oldest first (gaps where no dashboard ran). */
  points: SeriesPoint[];
  /** Jobs completed per minute and stage over the last day, oldest first, ending with the last whole minute (BullMQ's metrics). */
  throughput: { fromMs: number; perMinute: Record<StageName, number[]> };
}

/**
 * The point of the minute starting at `atMs`: backlog as of the overview, latencies of the rows
 * that ended in `[sinceMs, sinceMs + 60 s)` (the minute itself; for the live point, the last 60 s).
 */
export function minutePoint(atMs: number, overview: Overview, rows: ResultRow[], sinceMs = atMs): SeriesPoint {
  const inMinute = rows.filter((r) => r.finishedAtMs >= sinceMs && r.finishedAtMs < sinceMs + 60_000);
  const latencies = ingestLatencies(inMinute);
  return {
    atMs,
    backlog: Object.fromEntries(overview.queues.map((q) => [q.stage, q.waiting])) as Record<StageName, number>,
    ingestP50Ms: percentile(latencies, 0.5),
    ingestP95Ms: percentile(latencies, 0.95),
    stageP95Ms: Object.fromEntries(STAGE_NAMES.map((s) => [s, percentile(stageTimes(inMinute, s), 0.95)])) as Record<StageName, number | null>,
  };
}

/**
 * The charts' data as of the overview: the series recorded in Redis for the day, the current
 * minute from the overview itself (so the charts are live, not a minute behind), and the day's
 * throughput straight from BullMQ's per-minute metrics (exact, and there even for minutes no
 * dashboard recorded).
 */
export async function collectHistory(queues: StageQueues, series: DashboardSeries, overview: Overview, rows: ResultRow[]): Promise<History> {
  const nowMs = overview.atMs;
  const thisMinute = Math.floor(nowMs / 60_000) * 60_000;
  const fromMs = thisMinute - (DAY_MIN - 1) * 60_000;
  const [recorded, metrics] = await Promise.all([series.since(fromMs), Promise.all(STAGES.map((s) => queues[s.name].getMetrics('completed', 0, DAY_MIN)))]);
  const points = [...recorded.filter((p) => p.atMs < thisMinute), minutePoint(thisMinute, overview, rows, nowMs - 60_000)];
  const perMinute = Object.fromEntries(STAGES.map((s, i) => [s.name, minuteCounts(metrics[i]!, nowMs, DAY_MIN).reverse()])) as Record<StageName, number[]>;
  return { atMs: nowMs, points, throughput: { fromMs, perMinute } };
}

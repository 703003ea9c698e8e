import { dashboardSeriesKey, luaScript, type RedisConnection } from '@podpreview/runs';
import { STAGE_NAMES, type StageName } from '@podpreview/shared';

/** One minute of the overview's history: what the charts draw besides BullMQ's own throughput. */
export interface SeriesPoint {
  /** Start of the minute. */
  atMs: number;
  /** Jobs waiting per stage as the minute ended. */
  backlog: Record<StageName, number>;
  /** Ingest (enqueue) to preview of the runs that ended in the minute; null without any. */
  ingestP50Ms: number | null;
  ingestP95Ms: number | null;
  /** p95 processing time per stage in the runs that ended in the minute. */
  stageP95Ms: Record<StageName, number | null>;
}

/** Stored compactly: `[atMs, [backlog by stage], p50, p95, [stage p95 by stage]]`, stages in registry order. */
const encode = (p: SeriesPoint) =>
  JSON.stringify([p.atMs, STAGE_NAMES.map((s) => p.backlog[s]), p.ingestP50Ms, p.ingestP95Ms, STAGE_NAMES.map((s) => p.stageP95Ms[s])]);

function decode(member: string): SeriesPoint | undefined {
  try {
    const [atMs, backlog, p50, p95, stageP95] = JSON.parse(member) as [number, number[], number | null, number | null, (number | null)[]];
    if (!Number.isFinite(atMs) || !Array.isArray(backlog) || !Array.isArray(stageP95)) return undefined;
    const byStage = <T>(xs: T[], empty: T) => Object.fromEntries(STAGE_NAMES.map((s, i) => [s, xs[i] ?? empty])) as Record<StageName, T>;
    return { atMs, backlog: byStage(backlog, 0), ingestP50Ms: p50, ingestP95Ms: p95, stageP95Ms: byStage(stageP95, null) };
  } catch {
    // A point written by another version: skipped, the chart has a gap.
    return undefined;
  }
}

/**
 * The small time series the overview's charts are drawn from, in Redis so every dashboard
 * replica and restart sees the same history: one point per minute, at most `maxPoints` (the
 * oldest dropped first).
 */
export function dashboardSeries(redis: RedisConnection, prefix: string, maxPoints: number) {
  const key = dashboardSeriesKey(prefix);
  return {
    /** Adds the point unless one for its minute is there already; true when added. */
    async record(point: SeriesPoint): Promise<boolean> {
      // One point per minute however many dashboards record (the first wins), trimmed in the same call.
      return (await luaScript('series-add-once').run(redis, [key], [point.atMs, encode(point), maxPoints])) === 1;
    },
    /** Points from `sinceMs` on, oldest first. */
    async since(sinceMs: number): Promise<SeriesPoint[]> {
      const members = await redis.zrangebyscore(key, sinceMs, '+inf');
      return members.flatMap((m) => decode(m) ?? []);
    },
  };
}
export type DashboardSeries = ReturnType<typeof dashboardSeries>;

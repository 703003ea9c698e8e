import type { StageQueues } from '@podpreview/runs';
import { type Config, errorMessage, type Logger, type ResultRow, type ResultsSink, type StageName } from '@podpreview/shared';
import { type AlertState, alertChanges, announce } from './alerts.ts';
import { collectHistory, type History, minutePoint } from './history.ts';
import { collectOverviewAndRows, type Overview } from './overview.ts';
import { dashboardSeries } from './series.ts';

export interface Monitor {
  /** The newest overview, collecting one if none is fresher than the refresh interval. */
  current(): Promise<Overview>;
  /** What the charts draw (the recorded series and BullMQ's throughput), at most one refresh old. */
  history(): Promise<History>;
  /** Collects now, announcing alert changes. */
  refresh(): Promise<Overview>;
  stop(): void;
}

/**
 * Collects the overview every PODPREVIEW_DASHBOARD_REFRESH_MS, evaluates the alert thresholds
 * against the previous state (hysteresis), logs and announces each change of level. The page,
 * the /metrics gauges and the webhook all read this one evaluation. As each minute ends, its
 * point (backlog, ingest→preview and stage latencies) goes into the charts' series in Redis.
 */
export function startMonitor(o: { queues: StageQueues; results: ResultsSink; config: Pick<Config, 'alerts' | 'dashboard'>; log: Logger }): Monitor {
  let latest: Overview | undefined;
  let inFlight: Promise<Overview> | undefined;
  let recordedMinute = Math.floor(Date.now() / 60_000);
  let latestRows: ResultRow[] = [];
  let history: History | undefined;
  const series = dashboardSeries(o.queues.redis, o.queues.prefix, o.config.dashboard.seriesMaxPoints);
  const refresh = () => {
    inFlight ??= (async () => {
      try {
        const nowMs = Date.now();
        const { overview: next, rows } = await collectOverviewAndRows(o.queues, o.results, o.config, latest, nowMs);
        const before = new Map<StageName, AlertState>(latest?.queues.map((q) => [q.stage, q.alert]) ?? []);
        latest = next;
        latestRows = rows;
        const minute = Math.floor(nowMs / 60_000);
        if (minute > recordedMinute) {
          recordedMinute = minute;
          await series.record(minutePoint((minute - 1) * 60_000, next, rows));
        }
        await announce(alertChanges(before, next.queues), { webhookUrl: o.config.alerts.webhookUrl, log: o.log });
        return next;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => o.log.warn({ err: errorMessage(err) }, 'overview collection failed'));
  }, o.config.dashboard.refreshMs);
  timer.unref();
  return {
    current: async () => (latest && Date.now() - latest.atMs < o.config.dashboard.refreshMs ? latest : refresh()),
    history: async () => {
      const overview = latest && Date.now() - latest.atMs < o.config.dashboard.refreshMs ? latest : await refresh();
      if (history?.atMs !== overview.atMs) history = await collectHistory(o.queues, series, overview, latestRows);
      return history;
    },
    refresh,
    stop: () => clearInterval(timer),
  };
}

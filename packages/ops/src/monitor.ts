import type { StageQueues } from '@podpreview/pipeline/client';
import type { Config, Logger, ResultsSink, StageName } from '@podpreview/shared';
import { type AlertState, alertChanges, announce } from './alerts.ts';
import { collectOverview, type Overview } from './overview.ts';

export interface Monitor {
  /** The newest overview, collecting one if none is fresher than the refresh interval. */
  current(): Promise<Overview>;
  /** Collects now, announcing alert changes. */
  refresh(): Promise<Overview>;
  stop(): void;
}

/**
 * Collects the overview every PODPREVIEW_DASHBOARD_REFRESH_MS, evaluates the alert thresholds
 * against the previous state (hysteresis), logs and announces each change of level. The page,
 * the /metrics gauges and the webhook all read this one evaluation.
 */
export function startMonitor(o: { queues: StageQueues; results: ResultsSink; config: Pick<Config, 'alerts' | 'dashboard'>; log: Logger }): Monitor {
  let latest: Overview | undefined;
  let inFlight: Promise<Overview> | undefined;
  const refresh = () => {
    inFlight ??= (async () => {
      try {
        const next = await collectOverview(o.queues, o.results, o.config, latest);
        const before = new Map<StageName, AlertState>(latest?.queues.map((q) => [q.stage, q.alert]) ?? []);
        latest = next;
        await announce(alertChanges(before, next.queues), { webhookUrl: o.config.alerts.webhookUrl, log: o.log });
        return next;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => o.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'overview collection failed'));
  }, o.config.dashboard.refreshMs);
  timer.unref();
  return {
    current: async () => (latest && Date.now() - latest.atMs < o.config.dashboard.refreshMs ? latest : refresh()),
    refresh,
    stop: () => clearInterval(timer),
  };
}

import { type AlertThresholds, errorMessage, type Logger, type StageName } from '@podpreview/shared';
import type { QueueStats } from './queue-stats.ts';

export type AlertLevel = 'ok' | 'warn' | 'critical';
const RANK: Record<AlertLevel, number> = { ok: 0, warn: 1, critical: 2 };

/** The signals a queue is judged on; the same names label the Prometheus rules. */
export const SIGNALS = {
  backlog: { label: 'backlog', warn: 'backlogWarn', crit: 'backlogCrit', value: (s: QueueStats) => s.waiting, unit: '' },
  oldestWait: { label: 'oldest waiting job', warn: 'oldestWaitWarnSec', crit: 'oldestWaitCritSec', value: (s: QueueStats) => s.oldestWaitingSec, unit: ' s' },
  failureRate: { label: 'failure rate', warn: 'failureRateWarn', crit: 'failureRateCrit', value: (s: QueueStats) => s.failureRate, unit: '' },
  stageP95: {
    label: 'p95 processing time',
    warn: 'stageP95WarnSec',
    crit: 'stageP95CritSec',
    value: (s: QueueStats) => (s.processingP95Ms ?? 0) / 1000,
    unit: ' s',
  },
} as const satisfies Record<
  string,
  { label: string; warn: keyof AlertThresholds; crit: keyof AlertThresholds; value: (s: QueueStats) => number; unit: string }
>;
export type Signal = keyof typeof SIGNALS;

export interface AlertState {
  level: AlertLevel;
  /** Each signal's own level, kept for the hysteresis of the next evaluation. */
  signals: Record<Signal, AlertLevel>;
  /** Why, for people: "backlog 812 ≥ 500 (warn)". */
  reasons: string[];
}

/**
 * A queue's alert level: the worst of its signals. A signal rises as soon as its value reaches
 * a threshold, but falls only once the value is below that threshold × `clearRatio`, so a value
 * hovering at a threshold does not flap between states.
 */
export function evaluateAlerts(stats: QueueStats, t: AlertThresholds, clearRatio: number, previous?: AlertState): AlertState {
  const signals = {} as Record<Signal, AlertLevel>;
  const reasons: string[] = [];
  for (const [name, sig] of Object.entries(SIGNALS) as [Signal, (typeof SIGNALS)[Signal]][]) {
    const v = sig.value(stats);
    const at = { warn: t[sig.warn], critical: t[sig.crit] };
    let level: AlertLevel = v >= at.critical ? 'critical' : v >= at.warn ? 'warn' : 'ok';
    const before = previous?.signals[name] ?? 'ok';
    if (RANK[before] > RANK[level] && before !== 'ok' && v >= at[before] * clearRatio) level = before;
    signals[name] = level;
    if (level !== 'ok') {
      const fmt = (x: number) => (name === 'failureRate' ? `${(x * 100).toFixed(1)} %` : `${Math.round(x)}${sig.unit}`);
      reasons.push(`${sig.label} ${fmt(v)} ${v >= at[level] ? '≥' : 'still near'} ${fmt(at[level])} (${level})`);
    }
  }
  const level = (Object.values(signals) as AlertLevel[]).reduce<AlertLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');
  return { level, signals, reasons };
}

export interface AlertChange {
  stage: StageName;
  from: AlertLevel;
  to: AlertLevel;
  reasons: string[];
}

/** Changes of level between two evaluations (a stage seen for the first time counts from ok). */
export function alertChanges(before: Map<StageName, AlertState>, after: { stage: StageName; alert: AlertState }[]): AlertChange[] {
  return after.flatMap(({ stage, alert }) => {
    const from = before.get(stage)?.level ?? 'ok';
    return from === alert.level ? [] : [{ stage, from, to: alert.level, reasons: alert.reasons }];
  });
}

/** Logs each change and POSTs it to the webhook as Slack-compatible JSON (`{ text }`); never throws. */
export async function announce(changes: AlertChange[], o: { webhookUrl: string | undefined; log: Logger; timeoutMs?: number }): Promise<void> {
  for (const c of changes) {
    const text = `podpreview ${c.stage}: ${c.from} → ${c.to}${c.reasons.length > 0 ? ` (${c.reasons.join('; ')})` : ''}`;
    (c.to === 'ok' ? o.log.info : o.log.warn).call(o.log, { stage: c.stage, from: c.from, to: c.to, reasons: c.reasons }, 'queue alert state changed');
    if (!o.webhookUrl) continue;
    try {
      const res = await fetch(o.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, stage: c.stage, from: c.from, to: c.to, reasons: c.reasons }),
        signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
      });
      if (!res.ok) o.log.warn({ status: res.status }, 'alert webhook refused the message');
    } catch (err) {
      o.log.warn({ err: errorMessage(err) }, 'alert webhook unreachable');
    }
  }
}

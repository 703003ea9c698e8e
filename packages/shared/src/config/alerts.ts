import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { STAGE_NAMES, type StageName } from '../stages.ts';
import { type EnvOf, int, ratio, setting } from './setting.ts';

/** When a queue, the API, callbacks or the fallback are warn or critical: the dashboard and the Prometheus rules both read these. */
export const alertSettings = {
  PODPREVIEW_ALERT_BACKLOG_WARN: setting(int(500, 1), 'waiting jobs in a queue for `warn`'),
  PODPREVIEW_ALERT_BACKLOG_CRIT: setting(int(5000, 1), '… for `critical`'),
  PODPREVIEW_ALERT_OLDEST_WAIT_WARN_SEC: setting(int(120, 1), "age of a queue's oldest waiting job for `warn`"),
  PODPREVIEW_ALERT_OLDEST_WAIT_CRIT_SEC: setting(int(600, 1), '… for `critical`'),
  PODPREVIEW_ALERT_FAILURE_RATE_WARN: setting(ratio(0.05), 'failed / finished jobs over the window for `warn`'),
  PODPREVIEW_ALERT_FAILURE_RATE_CRIT: setting(ratio(0.25), '… for `critical`'),
  PODPREVIEW_ALERT_FAILURE_WINDOW_MIN: setting(int(15, 1), 'minutes the failure rate is computed over'),
  PODPREVIEW_ALERT_STAGE_P95_WARN_SEC: setting(int(60, 1), "p95 processing time of a stage's jobs for `warn`"),
  PODPREVIEW_ALERT_STAGE_P95_CRIT_SEC: setting(int(300, 1), '… for `critical`'),
  PODPREVIEW_ALERT_OVERRIDES: setting(z.string().optional(), 'JSON per stage, e.g. `{"ensemble-a":{"backlogWarn":50}}`'),
  PODPREVIEW_ALERT_CLEAR_RATIO: setting(z.coerce.number().gt(0).max(1).default(0.8), 'a state clears only below threshold × this (hysteresis)'),
  PODPREVIEW_ALERT_WEBHOOK_URL: setting(z.url().optional(), 'Slack-compatible webhook told of every change of alert state'),
  PODPREVIEW_ALERT_INGEST_P95_WARN_SEC: setting(int(120, 1), 'Prometheus rule: ingest→preview p95 over the failure window for `warning`'),
  PODPREVIEW_ALERT_INGEST_P95_CRIT_SEC: setting(int(600, 1), '… for `critical`'),
  PODPREVIEW_ALERT_API_5XX_RATIO_WARN: setting(ratio(0.01), 'Prometheus rule: share of API answers that are 5xx for `warning`'),
  PODPREVIEW_ALERT_API_5XX_RATIO_CRIT: setting(ratio(0.05), '… for `critical`'),
  PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_WARN: setting(ratio(0.05), 'Prometheus rule: callbacks given up / callbacks finished for `warning`'),
  PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_CRIT: setting(ratio(0.25), '… for `critical`'),
  PODPREVIEW_ALERT_FALLBACK_RATE_WARN: setting(ratio(0.05), 'Prometheus rule: runs handed to the fallback variant / runs started for `warning`'),
  PODPREVIEW_ALERT_FALLBACK_RATE_CRIT: setting(ratio(0.25), '… for `critical`'),
  PODPREVIEW_RUNBOOK_URL: setting(
    z
      .string()
      .regex(/^[^\s#]+$/, 'a URL or path without a fragment')
      .default('infra/RUNBOOK.md'),
    "the runbook the Prometheus rules' `runbook_url` points into (one anchor per alert); an absolute URL where the alerts are read",
  ),
};

/** When a queue is warn or critical: the dashboard and the Prometheus rules both read these. */
export interface AlertThresholds {
  backlogWarn: number;
  backlogCrit: number;
  oldestWaitWarnSec: number;
  oldestWaitCritSec: number;
  failureRateWarn: number;
  failureRateCrit: number;
  /** 95th percentile of one job's processing time in this stage. */
  stageP95WarnSec: number;
  stageP95CritSec: number;
}

export interface AlertConfig {
  perStage: Record<StageName, AlertThresholds>;
  /** Ingest (enqueue) to preview, p95 over the failure window, in seconds. */
  ingestP95WarnSec: number;
  ingestP95CritSec: number;
  /** API answers 5xx / all answers over the failure window. */
  api5xxRatioWarn: number;
  api5xxRatioCrit: number;
  /** Callbacks given up / callbacks finished over the failure window. */
  callbackFailureRateWarn: number;
  callbackFailureRateCrit: number;
  /** Runs handed to the fallback variant / runs that left preprocess, over the failure window. */
  fallbackRateWarn: number;
  fallbackRateCrit: number;
  /** The runbook the Prometheus rules link to (runbook_url), each alert at its own anchor. */
  runbookUrl: string;
  /** Failure rate is failed / (completed + failed) over this many minutes. */
  failureWindowMin: number;
  /** A state clears only once its value is below threshold × this (hysteresis: no flapping). */
  clearRatio: number;
  /** Slack-compatible webhook told of every change of state. */
  webhookUrl: string | undefined;
}

type AlertEnv = EnvOf<typeof alertSettings>;

export function alertConfig(e: AlertEnv): { alerts: AlertConfig } {
  return {
    alerts: {
      perStage: alertThresholds(e, parseOverrides(e.PODPREVIEW_ALERT_OVERRIDES)),
      failureWindowMin: e.PODPREVIEW_ALERT_FAILURE_WINDOW_MIN,
      clearRatio: e.PODPREVIEW_ALERT_CLEAR_RATIO,
      webhookUrl: e.PODPREVIEW_ALERT_WEBHOOK_URL,
      ingestP95WarnSec: e.PODPREVIEW_ALERT_INGEST_P95_WARN_SEC,
      ingestP95CritSec: e.PODPREVIEW_ALERT_INGEST_P95_CRIT_SEC,
      api5xxRatioWarn: e.PODPREVIEW_ALERT_API_5XX_RATIO_WARN,
      api5xxRatioCrit: e.PODPREVIEW_ALERT_API_5XX_RATIO_CRIT,
      callbackFailureRateWarn: e.PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_WARN,
      callbackFailureRateCrit: e.PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_CRIT,
      fallbackRateWarn: e.PODPREVIEW_ALERT_FALLBACK_RATE_WARN,
      fallbackRateCrit: e.PODPREVIEW_ALERT_FALLBACK_RATE_CRIT,
      runbookUrl: e.PODPREVIEW_RUNBOOK_URL,
    },
  };
}

const AlertOverrides = z.partialRecord(
  z.enum(STAGE_NAMES),
  z
    .object({
      backlogWarn: z.number().int().min(1),
      backlogCrit: z.number().int().min(1),
      oldestWaitWarnSec: z.number().min(1),
      oldestWaitCritSec: z.number().min(1),
      failureRateWarn: z.number().min(0).max(1),
      failureRateCrit: z.number().min(0).max(1),
      stageP95WarnSec: z.number().min(1),
      stageP95CritSec: z.number().min(1),
    })
    .partial()
    .strict(),
);

function parseOverrides(v: string | undefined): z.infer<typeof AlertOverrides> {
  if (!v) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(v);
  } catch {
    throw new ConfigError('PODPREVIEW_ALERT_OVERRIDES: not JSON');
  }
  const parsed = AlertOverrides.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`PODPREVIEW_ALERT_OVERRIDES: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function alertThresholds(e: AlertEnv, overrides: z.infer<typeof AlertOverrides>): Record<StageName, AlertThresholds> {
  const defaults: AlertThresholds = {
    backlogWarn: e.PODPREVIEW_ALERT_BACKLOG_WARN,
    backlogCrit: e.PODPREVIEW_ALERT_BACKLOG_CRIT,
    oldestWaitWarnSec: e.PODPREVIEW_ALERT_OLDEST_WAIT_WARN_SEC,
    oldestWaitCritSec: e.PODPREVIEW_ALERT_OLDEST_WAIT_CRIT_SEC,
    failureRateWarn: e.PODPREVIEW_ALERT_FAILURE_RATE_WARN,
    failureRateCrit: e.PODPREVIEW_ALERT_FAILURE_RATE_CRIT,
    stageP95WarnSec: e.PODPREVIEW_ALERT_STAGE_P95_WARN_SEC,
    stageP95CritSec: e.PODPREVIEW_ALERT_STAGE_P95_CRIT_SEC,
  };
  return Object.fromEntries(STAGE_NAMES.map((stage) => [stage, { ...defaults, ...overrides[stage] }])) as Record<StageName, AlertThresholds>;
}

import { stringify } from 'yaml';
import { type AlertConfig, RUN_LATENCY_BUCKETS, STAGE_SECONDS_BUCKETS, STAGES, type VariantName } from '@podpreview/shared';
import { SIGNALS, type Signal } from './alerts.ts';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: { summary: string; runbook_url: string };
}

/** What the rules need beyond the thresholds: which variant's series they judge, and the dead-letter bound. */
export interface RuleContext {
  variant: VariantName;
  deadLetterMax: number;
}

/**
 * Every alert the rules can raise, with the anchor of its section in the runbook
 * (infra/RUNBOOK.md; a test checks each has one).
 */
export const ALERT_NAMES = {
  backlog: 'PodpreviewQueueBacklog',
  oldestWait: 'PodpreviewQueueOldestJobAge',
  failureRate: 'PodpreviewQueueFailureRate',
  stageP95: 'PodpreviewStageSlow',
  noWorker: 'PodpreviewNoWorker',
  metricsAbsent: 'PodpreviewQueueMetricsAbsent',
  ingestP95: 'PodpreviewIngestToPreviewSlow',
  api5xx: 'PodpreviewApiErrors',
  deadLetters: 'PodpreviewResultsDeadLettered',
  callbackFailures: 'PodpreviewCallbackFailures',
  fallbackRate: 'PodpreviewFallbackTakeover',
} as const satisfies Record<Signal | string, string>;

/**
 * Prometheus alerting rules, from one source (the configuration) for the thresholds the
 * dashboard also judges by, and on counters and histograms wherever one exists:
 * - backlog: BullMQ's own job counts (`bullmq_job_count`, waiting + prioritized);
 * - failure rate: BullMQ's completed/failed counters, `rate()` over the alert window;
 * - stage p95: `histogram_quantile()` over the workers' `podpreview_stage_seconds`;
 * - ingest→preview p95: the same over `podpreview_run_latency_seconds`;
 * - API 5xx ratio, dead-lettered result rows, given-up callbacks, fallback hand-overs: counters;
 * - the oldest waiting job and the workers per queue: the dashboard's gauges (BullMQ has none).
 * A dashboard may scrape another variant's queues too, and several dashboards the same queue:
 * series are picked by `variant` and deduplicated with max by queue before they are summed.
 * `npm run rules` writes them to infra/prometheus/alerts.rules.yml.
 */
export function renderAlertRules(alerts: AlertConfig, ctx: RuleContext = { variant: 'production', deadLetterMax: 100_000 }): string {
  const w = `${alerts.failureWindowMin}m`;
  const v = `variant="${ctx.variant}"`;
  const runbook = (alert: string) => `${alerts.runbookUrl}#${alert.toLowerCase()}`;
  const rule = (alert: string, expr: string, o: { for?: string; severity: string; stage?: string; summary: string }): Rule => ({
    alert,
    expr,
    for: o.for ?? '2m',
    labels: { severity: o.severity, ...(o.stage ? { stage: o.stage } : {}) },
    annotations: { summary: o.summary, runbook_url: runbook(alert) },
  });
  /** Ratios read as percentages in the summaries, on both sides. */
  const percent = (x: number) => `${+(x * 100).toFixed(2)}%`;
  const levels = <T extends number>(warn: T, crit: T) =>
    [
      ['warning', warn],
      ['critical', crit],
    ] as const;
  const within = (what: string, threshold: number, buckets: readonly number[]) => {
    if (threshold > buckets.at(-1)!)
      throw new Error(`${what}: ${threshold} s is above the histogram's highest bucket (${buckets.at(-1)} s); the rule could never fire`);
  };
  /** One series per queue and state however many dashboards export it. */
  const counts = (queue: string, states: string) => `max by (queue, state) (bullmq_job_count{${v},queue="${queue}",state=~"${states}"})`;
  const ratio = (bad: string, all: string) => `(${bad}) / (${all})`;
  const failureRatio = (queue: string, variant = v) => {
    const failed = `sum(rate(bullmq_job_failed_total{${variant},queue="${queue}"}[${w}]))`;
    return ratio(failed, `sum(rate(bullmq_job_completed_total{${variant},queue="${queue}"}[${w}])) + ${failed}`);
  };

  const queueRules: Rule[] = [];
  for (const { name: stage, queue } of STAGES) {
    const t = alerts.perStage[stage];
    within(`${stage} p95 threshold`, t.stageP95CritSec, STAGE_SECONDS_BUCKETS);
    const exprs: Record<Signal, string> = {
      backlog: `sum(${counts(queue, 'waiting|prioritized')})`,
      oldestWait: `max(podpreview_queue_oldest_waiting_seconds{stage="${stage}"})`,
      failureRate: failureRatio(queue),
      stageP95: `histogram_quantile(0.95, sum by (le) (rate(podpreview_stage_seconds_bucket{${v},stage="${stage}"}[${w}])))`,
    };
    for (const [signal, spec] of Object.entries(SIGNALS) as [Signal, (typeof SIGNALS)[Signal]][]) {
      for (const [severity, threshold] of levels(t[spec.warn], t[spec.crit])) {
        queueRules.push(
          rule(ALERT_NAMES[signal], `${exprs[signal]} >= ${threshold}`, {
            severity,
            stage,
            summary:
              signal === 'failureRate'
                ? `podpreview ${stage}: ${spec.label} {{ $value | humanizePercentage }} (${severity} at ${percent(threshold)})`
                : `podpreview ${stage}: ${spec.label} {{ $value }}${spec.unit} (${severity} at ${threshold}${spec.unit})`,
          }),
        );
      }
    }
    queueRules.push(
      rule(ALERT_NAMES.noWorker, `max(podpreview_queue_workers{stage="${stage}"}) == 0 and max(podpreview_queue_waiting{stage="${stage}"}) > 0`, {
        for: '5m',
        severity: 'critical',
        stage,
        summary: `podpreview ${stage}: jobs wait and no worker consumes the queue`,
      }),
    );
  }
  queueRules.push(
    rule(ALERT_NAMES.metricsAbsent, `absent(bullmq_job_count{${v}})`, {
      for: '5m',
      severity: 'critical',
      summary: 'no queue metrics: the dashboard (which exports them) is down or not scraped',
    }),
  );

  within('ingest→preview p95 threshold', alerts.ingestP95CritSec, RUN_LATENCY_BUCKETS);
  const service: Rule[] = [];
  for (const [severity, threshold] of levels(alerts.ingestP95WarnSec, alerts.ingestP95CritSec)) {
    service.push(
      rule(
        ALERT_NAMES.ingestP95,
        `histogram_quantile(0.95, sum by (le) (rate(podpreview_run_latency_seconds_bucket{${v},status=~"succeeded|deduplicated"}[${w}]))) >= ${threshold}`,
        { severity, summary: `podpreview: ingest → preview p95 {{ $value }} s (${severity} at ${threshold} s)` },
      ),
    );
  }
  for (const [severity, threshold] of levels(alerts.api5xxRatioWarn, alerts.api5xxRatioCrit)) {
    service.push(
      rule(
        ALERT_NAMES.api5xx,
        `${ratio(`sum(rate(podpreview_api_requests_total{status=~"5.."}[${w}]))`, `sum(rate(podpreview_api_requests_total[${w}]))`)} >= ${threshold}`,
        { severity, summary: `podpreview API: {{ $value | humanizePercentage }} of answers are 5xx (${severity} at ${percent(threshold)})` },
      ),
    );
  }
  service.push(
    rule(ALERT_NAMES.deadLetters, `sum(increase(podpreview_results_dead_lettered_total{${v}}[${w}])) > 0`, {
      severity: 'warning',
      summary: 'podpreview: the results table refused {{ $value }} rows; they wait in Redis',
    }),
    rule(ALERT_NAMES.deadLetters, `max(podpreview_results_dead_letter_rows) >= ${Math.floor(ctx.deadLetterMax * 0.8)}`, {
      severity: 'critical',
      summary: `podpreview: {{ $value }} result rows wait in Redis; past ${ctx.deadLetterMax} the oldest are dropped`,
    }),
  );
  for (const [severity, threshold] of levels(alerts.callbackFailureRateWarn, alerts.callbackFailureRateCrit)) {
    service.push(
      rule(ALERT_NAMES.callbackFailures, `${failureRatio('callbacks', 'variant=~".+"')} >= ${threshold}`, {
        severity,
        summary: `podpreview callbacks: {{ $value | humanizePercentage }} of deliveries given up (${severity} at ${percent(threshold)})`,
      }),
    );
  }
  for (const [severity, threshold] of levels(alerts.fallbackRateWarn, alerts.fallbackRateCrit)) {
    service.push(
      rule(
        ALERT_NAMES.fallbackRate,
        `${ratio(
          `sum(rate(podpreview_fallback_handovers_total{${v}}[${w}]))`,
          `sum(rate(podpreview_stage_jobs_total{${v},stage="preprocess",outcome!="error"}[${w}]))`,
        )} >= ${threshold}`,
        { severity, summary: `podpreview: {{ $value | humanizePercentage }} of runs handed to the fallback variant (${severity} at ${percent(threshold)})` },
      ),
    );
  }
  const header =
    '# Generated by `npm run rules` from the alert thresholds in packages/shared/src/config/alerts.ts\n# (their defaults here); do not edit by hand. Tested by infra/prometheus/alerts.test.yml.\n';
  return (
    header +
    stringify(
      {
        groups: [
          { name: 'podpreview-queues', rules: queueRules },
          { name: 'podpreview-service', rules: service },
        ],
      },
      { lineWidth: 0 },
    )
  );
}

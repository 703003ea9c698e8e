import { Gauge, Registry } from 'prom-client';
import type { Monitor } from './monitor.ts';

const LEVEL = { ok: 0, warn: 1, critical: 2 } as const;

/**
 * Queue gauges for Prometheus, read from the monitor's evaluation at scrape time: the alert
 * rules in infra/prometheus (rendered from the same thresholds) fire on the same numbers the
 * dashboard shows.
 */
export function queueMetricsRegistry(monitor: Monitor): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, value: (q: Awaited<ReturnType<Monitor['current']>>['queues'][number]) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['stage'],
      registers: [registry],
      async collect() {
        const overview = await monitor.current();
        this.reset();
        for (const q of overview.queues) {
          const v = value(q);
          if (v !== null) this.set({ stage: q.stage }, v);
        }
      },
    });
  gauge('podpreview_queue_waiting', 'Jobs waiting in the stage queue (prioritized included)', (q) => q.waiting);
  gauge('podpreview_queue_active', 'Jobs being processed in the stage', (q) => q.active);
  gauge('podpreview_queue_delayed', 'Jobs waiting out a retry backoff', (q) => q.delayed);
  gauge('podpreview_queue_failed', 'Failed jobs BullMQ keeps for the stage', (q) => q.failed);
  gauge('podpreview_queue_oldest_waiting_seconds', 'Age of the oldest job not started yet (0 when none waits)', (q) => q.oldestWaitingSec);
  gauge('podpreview_queue_completed_last_minute', 'Jobs the stage finished in the last minute', (q) => q.completedLastMin);
  gauge('podpreview_queue_failure_ratio', 'Failed / finished jobs over the alert window', (q) => q.failureRate);
  gauge('podpreview_queue_processing_p95_seconds', 'p95 processing time of recent jobs', (q) => (q.processingP95Ms === null ? null : q.processingP95Ms / 1000));
  gauge('podpreview_queue_workers', 'Workers consuming the stage queue', (q) => q.workers);
  gauge('podpreview_queue_alert_level', 'The dashboard’s alert level: 0 ok, 1 warn, 2 critical', (q) => LEVEL[q.alert.level]);
  return registry;
}

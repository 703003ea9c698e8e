import { Gauge, Registry } from 'prom-client';
import type { Monitor } from './monitor.ts';
import type { WatchedQueue } from './queue-stats.ts';

const LEVEL = { ok: 0, warn: 1, critical: 2 } as const;

/**
 * The dashboard's own gauges, read from the monitor's evaluation at scrape time, for what BullMQ
 * does not export: the age of the oldest waiting job, the workers on each stage queue, the
 * dashboard's alert level, the result rows waiting in Redis. `podpreview_queue_waiting` stays
 * for the KEDA scalers. Counts and rates come from BullMQ itself (bullmqMetrics).
 */
export function queueMetricsRegistry(monitor: Monitor): Registry {
  const registry = new Registry();
  type Own = Awaited<ReturnType<Monitor['current']>>['queues'][number];
  const gauge = (name: string, help: string, value: (q: Own) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stage'],
      registers: [registry],
      async collect() {
        const overview = await monitor.current();
        this.reset();
        for (const q of overview.queues) this.set({ stage: q.stage }, value(q));
      },
    });
  gauge('podpreview_queue_waiting', 'Jobs waiting in the stage queue (prioritized included); the KEDA scalers read it', (q) => q.waiting);
  gauge('podpreview_queue_oldest_waiting_seconds', 'Age of the oldest job not started yet (0 when none waits)', (q) => q.oldestWaitingSec);
  gauge('podpreview_queue_workers', 'Workers consuming the stage queue', (q) => q.workers);
  gauge('podpreview_queue_alert_level', 'The dashboard’s alert level: 0 ok, 1 warn, 2 critical', (q) => LEVEL[q.alert.level]);
  new Gauge({
    name: 'podpreview_results_dead_letter_rows',
    help: 'Result rows the results table refused, waiting in Redis to be written',
    registers: [registry],
    async collect() {
      this.set((await monitor.current()).deadLetterRows);
    },
  });
  return registry;
}

/**
 * BullMQ's own Prometheus export (Queue.exportPrometheusMetrics: `bullmq_job_count` by state,
 * `bullmq_job_completed_total` and `bullmq_job_failed_total` from the workers' per-minute
 * metrics) for every watched queue, labelled with its variant, merged into one exposition: each
 * family's HELP and TYPE once, then its samples.
 */
export async function bullmqMetrics(watched: readonly WatchedQueue[]): Promise<string> {
  const texts = await Promise.all(watched.map((w) => w.queue.exportPrometheusMetrics({ variant: w.variant })));
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  const family = (name: string) => {
    const f = families.get(name) ?? { meta: [], samples: [] };
    families.set(name, f);
    return f;
  };
  for (const line of texts.join('\n').split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (meta) {
      const f = family(meta[2]!);
      if (!f.meta.some((m) => m.startsWith(`# ${meta[1]} `))) f.meta.push(line);
    } else if (line.trim() !== '') {
      family(/^[^{\s]+/.exec(line)![0]).samples.push(line);
    }
  }
  return `${[...families.values()].map((f) => [...f.meta, ...f.samples].join('\n')).join('\n')}\n`;
}

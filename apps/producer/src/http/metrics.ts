import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The API process's own metrics: requests by route and outcome, and how long enqueueing takes. */
export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'podpreview_api_' });
  return {
    registry,
    requests: new Counter({
      name: 'podpreview_api_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    enqueueSeconds: new Histogram({
      name: 'podpreview_api_enqueue_seconds',
      help: 'Time to accept one episode (claim, run record, first job), by outcome (new or joined)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  };
}

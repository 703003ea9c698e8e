import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Process-wide model metrics, for the workers' /metrics endpoint. One registry so the worker
 * app can merge it with BullMQ and process metrics.
 */
export const modelMetricsRegistry = new Registry();

export const modelMetrics = {
  inferences: new Counter({
    name: 'podpreview_model_inferences_total',
    help: 'Inference calls run (merged batches count once)',
    labelNames: ['model', 'version'],
    registers: [modelMetricsRegistry],
  }),
  batchSize: new Histogram({
    name: 'podpreview_model_batch_size',
    help: 'Items per inference call',
    labelNames: ['model', 'version'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [modelMetricsRegistry],
  }),
  batchSeconds: new Histogram({
    name: 'podpreview_model_batch_seconds',
    help: 'Latency of one inference call',
    labelNames: ['model', 'version'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [modelMetricsRegistry],
  }),
  loadSeconds: new Gauge({
    name: 'podpreview_model_load_seconds',
    help: 'Time to verify and load the model',
    labelNames: ['model', 'version'],
    registers: [modelMetricsRegistry],
  }),
  bytes: new Gauge({ name: 'podpreview_model_bytes', help: 'Size of the model file', labelNames: ['model', 'version'], registers: [modelMetricsRegistry] }),
};

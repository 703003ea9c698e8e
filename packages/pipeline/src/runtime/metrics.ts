import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { modelMetricsRegistry } from '@podpreview/models';
import { RUN_LATENCY_BUCKETS, STAGE_SECONDS_BUCKETS } from '@podpreview/shared';

/** Job-level metrics of this worker process, labelled by stage. */
export const pipelineMetricsRegistry = new Registry();

export const pipelineMetrics = {
  jobs: new Counter({
    name: 'podpreview_stage_jobs_total',
    help: 'Stage jobs finished, by outcome (forwarded, succeeded, deduplicated, rejected, error)',
    labelNames: ['stage', 'outcome'],
    registers: [pipelineMetricsRegistry],
  }),
  stalls: new Counter({
    name: 'podpreview_stage_stalls_total',
    help: 'Stage jobs found stalled (their worker died or blocked past its lock) and run again',
    labelNames: ['stage'],
    registers: [pipelineMetricsRegistry],
  }),
  deadLettered: new Counter({
    name: 'podpreview_results_dead_lettered_total',
    help: 'Result rows the results table refused, kept in Redis to be written later',
    registers: [pipelineMetricsRegistry],
  }),
  handovers: new Counter({
    name: 'podpreview_fallback_handovers_total',
    help: 'Runs handed to the fallback variant, by why (failed, deadline)',
    labelNames: ['why'],
    registers: [pipelineMetricsRegistry],
  }),
  priorityHold: new Counter({
    name: 'podpreview_priority_hold_seconds_total',
    help: 'Time this process held back starting normal jobs for priority jobs (PODPREVIEW_PRIORITY_LANE)',
    registers: [pipelineMetricsRegistry],
  }),
  seconds: new Histogram({
    name: 'podpreview_stage_seconds',
    help: 'Processing time of one stage job (excludes queue wait)',
    labelNames: ['stage'],
    buckets: [...STAGE_SECONDS_BUCKETS],
    registers: [pipelineMetricsRegistry],
  }),
  latency: new Histogram({
    name: 'podpreview_run_latency_seconds',
    help: 'Enqueue to terminal row, per finished run',
    labelNames: ['status'],
    buckets: [...RUN_LATENCY_BUCKETS],
    registers: [pipelineMetricsRegistry],
  }),
};

let defaultsCollected = false;

/** Everything a worker's /metrics shows: process, jobs and models. */
export function workerMetricsRegistry(): Registry {
  if (!defaultsCollected) {
    collectDefaultMetrics({ register: pipelineMetricsRegistry, prefix: 'podpreview_worker_' });
    defaultsCollected = true;
  }
  return Registry.merge([pipelineMetricsRegistry, modelMetricsRegistry]);
}

import { createRequire } from 'node:module';
import type { BullMQOtel } from 'bullmq-otel';
import type { Config } from '@podpreview/shared';

let telemetry: BullMQOtel | undefined;

/**
 * BullMQ's `telemetry` option when tracing is on: every add is a producer span and every job a
 * consumer span under it, the trace context riding in the job, so one run is one trace from the
 * API request through every stage. Undefined when off: no span work on the hot path, and
 * `bullmq-otel` is not even loaded (~20 ms of every start-up otherwise).
 */
export function queueTelemetry(config: Partial<Pick<Config, 'tracing'>>): BullMQOtel | undefined {
  if (!config.tracing?.enabled) return undefined;
  if (!telemetry) {
    const otel = createRequire(import.meta.url)('bullmq-otel') as typeof import('bullmq-otel');
    telemetry = new otel.BullMQOtel({ tracerName: 'bullmq' });
  }
  return telemetry;
}

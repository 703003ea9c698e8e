import { BullMQOtel } from 'bullmq-otel';
import type { Config } from '@podpreview/shared';

let telemetry: BullMQOtel | undefined;

/**
 * BullMQ's `telemetry` option when tracing is on: every add is a producer span and every job a
 * consumer span under it, the trace context riding in the job, so one run is one trace from the
 * API request through every stage. Undefined when off: no span work on the hot path.
 */
export function queueTelemetry(config: Partial<Pick<Config, 'tracing'>>): BullMQOtel | undefined {
  if (!config.tracing?.enabled) return undefined;
  telemetry ??= new BullMQOtel({ tracerName: 'bullmq' });
  return telemetry;
}

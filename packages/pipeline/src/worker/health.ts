import type { StageName } from '@podpreview/shared';
import type { StageWorkers } from '../runtime/stage-workers.ts';

/** What a worker's /healthz answers: ok (200) or not (503), and why. */
export interface FleetHealth {
  ok: boolean;
  /** The process is still loading its models (nothing to check yet). */
  starting?: true;
  stages?: StageName[];
  models?: string[];
  /** Each Redis connection of the process by role, with its ioredis status. */
  redis?: Record<string, string>;
  /** Why it is not ok. */
  reason?: string;
}

/**
 * A worker process is healthy while every BullMQ worker runs and no Redis connection has ended
 * for good. A connection that is reconnecting (Redis restarting, a Sentinel failover) is still
 * healthy: the workers wait and resume by themselves, and a restarted pod would only wait the
 * same. One in ioredis status `end` never comes back (closed by a fatal error, as a Sentinel
 * failover race once did): the process would sit idle while its probes passed, so the
 * orchestrator must restart it.
 */
export function fleetHealth(
  fleet: (Pick<StageWorkers, 'stages' | 'workers' | 'redisStatus'> & { services?: { loadedModelIds(): string[] } }) | undefined,
): FleetHealth {
  if (!fleet) return { ok: false, starting: true };
  const redis = fleet.redisStatus();
  const ended = Object.entries(redis)
    .filter(([, status]) => status === 'end')
    .map(([role]) => role);
  const stopped = fleet.stages.filter((_, i) => !fleet.workers[i]?.isRunning());
  const reasons = [
    ...(ended.length > 0 ? [`Redis connection closed for good: ${ended.join(', ')}`] : []),
    ...(stopped.length > 0 ? [`workers not running: ${stopped.join(', ')}`] : []),
  ];
  return {
    ok: reasons.length === 0,
    stages: fleet.stages,
    ...(fleet.services ? { models: fleet.services.loadedModelIds() } : {}),
    redis,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}

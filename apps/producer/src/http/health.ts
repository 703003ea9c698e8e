import type { Request, Response } from 'express';
import type { StageQueues } from '@podpreview/pipeline/client';
import type { ResultsSink } from '@podpreview/shared';

/** A dependency that has not answered in this long counts as down for /readyz. */
const PROBE_TIMEOUT_MS = 2000;
/** An id no run has: reading it proves the results table answers, without a row to find. */
const PROBE_RUN_ID = 'readyz-probe-00000000';

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('probe timed out')), ms).unref())]);

/** Liveness: the process answers. Nothing else is checked, so a Redis outage never gets the API restarted. */
export function healthz(_req: Request, res: Response): void {
  res.json({ status: 'ok' });
}

/**
 * Readiness: this process can take work, i.e. Redis and the results table answer. 503 with
 * Retry-After otherwise, so a load balancer routes around it until both are back.
 */
export function readyz(queues: StageQueues, results: ResultsSink) {
  return async (_req: Request, res: Response) => {
    const [redis, table] = await Promise.all([
      within(queues.redis.ping(), PROBE_TIMEOUT_MS).then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
      within(results.forRun(PROBE_RUN_ID), PROBE_TIMEOUT_MS).then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
    ]);
    const ready = redis === 'ok' && table === 'ok';
    if (!ready) res.set('retry-after', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { redis, results: table } });
  };
}

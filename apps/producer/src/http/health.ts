import type { Request, Response } from 'express';
import type { StageQueues } from '@podpreview/runs';
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

type Readiness = { ready: boolean; checks: { redis: 'ok' | 'down'; results: 'ok' | 'down' } };

/**
 * Readiness: this process can take work, i.e. Redis and the results table answer. 503 with
 * Retry-After otherwise, so a load balancer routes around it until both are back. It needs no
 * credential, so one check answers every call for `cacheMs` and calls meanwhile share it: a
 * flood costs one query of the results table (a billed job on BigQuery, a turn at the file lock
 * on DuckDB) per `cacheMs`, not one per call.
 */
export function readyz(queues: StageQueues, results: ResultsSink, cacheMs: number) {
  let last: { atMs: number; readiness: Readiness } | undefined;
  let inFlight: Promise<Readiness> | undefined;
  const check = async (): Promise<Readiness> => {
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
    return { ready: redis === 'ok' && table === 'ok', checks: { redis, results: table } };
  };
  return async (_req: Request, res: Response) => {
    if (!last || Date.now() - last.atMs >= cacheMs) {
      inFlight ??= check().finally(() => {
        inFlight = undefined;
      });
      const readiness = await inFlight;
      last = { atMs: Date.now(), readiness };
    }
    const { ready, checks } = last.readiness;
    if (!ready) res.set('retry-after', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  };
}

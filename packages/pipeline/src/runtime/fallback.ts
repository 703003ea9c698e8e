import { randomUUID } from 'node:crypto';
import { type Config, EnqueueRequest, type Logger } from '@podpreview/shared';
import { enqueueEpisode, fallbackSweepCursorKey, fallbackSweepLockKey, luaScript, type StageQueues } from '@podpreview/runs';
import { pipelineMetrics } from './metrics.ts';

/**
 * The fallback variant takes over (PODPREVIEW_FALLBACK_QUEUE_PREFIX): a run that failed after
 * its retries, or is still going PODPREVIEW_FALLBACK_AFTER_MS after its submission, is submitted
 * again on the fallback's queues, where that variant's workers (cheap CPU models) run it into the
 * same results table. Production's run goes on, and its success, whenever it comes, is the
 * episode's answer (preferredAnswer).
 */

/** The fallback run of a handed-over run is named after it: a second hand-over of the run finds it. */
export const fallbackRunIdOf = (runId: string): string => `fallback-${runId}`;

export type HandOverReason = 'failed' | 'deadline';

/**
 * Hands one run to the fallback variant, at most once per run (the run's record is marked first,
 * in one script: a failure and a deadline seen at once hand it over once). Only a run whose
 * record still holds its submission can be handed over; a deadline hand-over only while the run
 * has not ended. Returns the fallback run's id, or undefined when nothing was handed over.
 */
export async function handOverToFallback(queues: StageQueues, config: Config, runId: string, why: HandOverReason, log: Logger): Promise<string | undefined> {
  const fallback = queues.fallback;
  if (!fallback) return undefined;
  const record = await queues.runs.read(runId);
  if (!record?.request) return undefined;
  const fallbackRunId = fallbackRunIdOf(runId);
  if (!(await queues.runs.markHandedOver(runId, fallbackRunId, why === 'deadline' ? 'queued' : undefined))) return undefined;
  try {
    const req = EnqueueRequest.parse({ id: record.episodeId, ...record.request });
    const receipt = await enqueueEpisode(fallback, { ...config, enqueueWaitReplicas: 0 }, req, Date.now(), {
      runId: fallbackRunId,
      enqueuedAtMs: record.enqueuedAtMs,
      ...(record.owner ? { owner: record.owner } : {}),
    });
    // Another fallback run of the episode was in flight (an earlier submission's): this one joined it.
    if (receipt.runId !== fallbackRunId) await queues.runs.setHandedOver(runId, receipt.runId);
    pipelineMetrics.handovers.inc({ why });
    log.warn({ runId, episodeId: record.episodeId, fallbackRunId: receipt.runId, joined: receipt.joined, why }, 'run handed to the fallback variant');
    return receipt.runId;
  } catch (err) {
    // Nothing queued: the next failure or sweep may try again.
    await queues.runs.setHandedOver(runId, undefined).catch(() => {});
    throw err;
  }
}

/** Runs looked at per read of the run index. */
const SWEEP_BATCH = 500;
/** A sweeper that died frees the sweep after this long. */
const SWEEP_LEASE_MS = 60_000;

/** How often the deadline is checked: a quarter of it, between 0.25 s and 30 s. */
export const sweepEveryMs = (afterMs: number): number => Math.min(30_000, Math.max(250, Math.round(afterMs / 4)));

/**
 * The deadline, checked without a Redis round trip per job: every sweepEveryMs one worker process
 * of the fleet (a lease in Redis) reads the runs submitted since the last sweep's horizon up to
 * `now − afterMs` from the run index, their states in one pipeline, and hands over those still
 * going. A cursor in Redis makes each run looked at once; a fleet's first sweep starts it at its
 * horizon, so older runs are not handed over in a burst. Returns how many runs were handed over.
 */
export async function sweepFallbackDeadlines(queues: StageQueues, config: Config, log: Logger, nowMs = Date.now()): Promise<number> {
  const afterMs = config.fallback?.afterMs ?? 0;
  if (!queues.fallback || afterMs <= 0) return 0;
  const { redis, prefix } = queues;
  const lock = fallbackSweepLockKey(prefix);
  const token = randomUUID();
  if ((await redis.set(lock, token, 'PX', SWEEP_LEASE_MS, 'NX')) !== 'OK') return 0;
  try {
    const horizon = nowMs - afterMs;
    const cursorKey = fallbackSweepCursorKey(prefix);
    const cursor = await redis.get(cursorKey);
    let handed = 0;
    if (cursor !== null && horizon > Number(cursor)) {
      for (let offset = 0; ; offset += SWEEP_BATCH) {
        const runIds = await queues.runs.indexedBetween(Number(cursor), horizon, offset, SWEEP_BATCH);
        if (runIds.length === 0) break;
        const states = await queues.runs.states(runIds);
        for (const [i, runId] of runIds.entries()) {
          if (states[i]?.state !== 'queued' || states[i]?.fallbackRunId) continue;
          if (await handOverToFallback(queues, config, runId, 'deadline', log)) handed++;
        }
        if (runIds.length < SWEEP_BATCH) break;
      }
    }
    if (cursor === null || horizon > Number(cursor)) await redis.set(cursorKey, String(horizon), 'PX', config.runStateTtlMs);
    return handed;
  } finally {
    await luaScript('delete-if').run(redis, [lock], [token]);
  }
}

/** Sweeps for runs past the deadline every sweepEveryMs, in this worker process; stop() ends it. */
export function startFallbackSweep(queues: StageQueues, config: Config, log: Logger): { stop(): void } {
  const afterMs = config.fallback?.afterMs ?? 0;
  if (!queues.fallback || afterMs <= 0) return { stop: () => {} };
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepFallbackDeadlines(queues, config, log)
      .catch((err: unknown) => log.warn({ err: String(err) }, 'fallback deadline sweep failed'))
      .finally(() => {
        sweeping = false;
      });
  }, sweepEveryMs(afterMs));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

import type { RedisConnection } from './redis.ts';
import { z } from 'zod';
import { type ResultRow, STAGE_NAMES } from '@podpreview/shared';
import { LuaScript } from './lua-script.ts';
import { inflightKey, latestRunKey, runStateKey } from './redis.keys.ts';

/** What Redis remembers of a run apart from its jobs: enough for status once they are trimmed. */
export interface RunRecord {
  runId: string;
  episodeId: string;
  state: 'queued' | ResultRow['status'];
  enqueuedAtMs: number;
  /** What was submitted, so a failed run can be replayed (`podpreview replay`); absent in records of older versions. */
  input?: { audioUri: string; transcriptUri?: string; priority: boolean };
  /** The terminal row's facts, once the run has ended. */
  outcome?: Pick<ResultRow, 'previewStartSec' | 'previewEndSec' | 'speechFraction' | 'latencyMs' | 'clipKey' | 'failedStage' | 'errorCode' | 'errorMessage'>;
}

/**
 * Written at enqueue before the run claims its episode, so a claim holder without a record is
 * known to be gone (expired, or its enqueue died), never merely a moment too young.
 */
export async function recordRunQueued(
  redis: RedisConnection,
  prefix: string,
  ttlMs: number,
  run: Pick<RunRecord, 'runId' | 'episodeId' | 'enqueuedAtMs' | 'input'>,
): Promise<void> {
  const key = runStateKey(prefix, run.runId);
  await redis
    .multi()
    .hset(key, {
      episodeId: run.episodeId,
      state: 'queued',
      enqueuedAtMs: String(run.enqueuedAtMs),
      ...(run.input ? { input: JSON.stringify(run.input) } : {}),
    })
    .pexpire(key, ttlMs)
    .exec();
}

/** A request that joined another run drops the record it wrote for its own, never-started one. */
export async function forgetRun(redis: RedisConnection, prefix: string, runId: string): Promise<void> {
  await redis.del(runStateKey(prefix, runId));
}

/** The claim is won: this run is the episode's newest. */
export async function recordLatestRun(redis: RedisConnection, prefix: string, ttlMs: number, episodeId: string, runId: string): Promise<void> {
  await redis.set(latestRunKey(prefix, episodeId), runId, 'PX', ttlMs);
}

/**
 * Written by the worker that ends the run, once its result row is safe: the run's outcome and
 * the release of its episode's claim (only if the run still holds it), in one script.
 */
const RUN_ENDED = new LuaScript(`
redis.call('HSET', KEYS[1], 'episodeId', ARGV[1], 'state', ARGV[2], 'enqueuedAtMs', ARGV[3], 'outcome', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if redis.call('GET', KEYS[2]) == ARGV[6] then redis.call('DEL', KEYS[2]) end
return 1`);

export async function recordRunEnded(redis: RedisConnection, prefix: string, ttlMs: number, row: ResultRow): Promise<void> {
  const { previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey, failedStage, errorCode, errorMessage } = row;
  const outcome = { previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey, failedStage, errorCode, errorMessage };
  await RUN_ENDED.run(
    redis,
    [runStateKey(prefix, row.runId), inflightKey(prefix, row.episodeId)],
    [row.episodeId, row.status, String(row.enqueuedAtMs), JSON.stringify(outcome), ttlMs, row.runId],
  );
}

const StoredRun = z.object({
  episodeId: z.string(),
  state: z.enum(['queued', 'succeeded', 'failed', 'deduplicated']),
  enqueuedAtMs: z.coerce.number(),
  input: z
    .string()
    .transform((s) => JSON.parse(s) as unknown)
    .pipe(z.object({ audioUri: z.string(), transcriptUri: z.string().optional(), priority: z.boolean() }))
    .optional(),
  outcome: z
    .string()
    .transform((s) => JSON.parse(s) as unknown)
    .pipe(
      z.object({
        previewStartSec: z.number().nullable(),
        previewEndSec: z.number().nullable(),
        speechFraction: z.number().nullable(),
        latencyMs: z.number(),
        clipKey: z.string().nullable(),
        failedStage: z.enum(STAGE_NAMES).nullable(),
        errorCode: z.string().nullable(),
        errorMessage: z.string().nullable(),
      }),
    )
    .optional(),
});

/** A run's record, parsed; undefined when it never existed, has expired, or was written by an incompatible version. */
export async function readRunRecord(redis: RedisConnection, prefix: string, runId: string): Promise<RunRecord | undefined> {
  const stored = await redis.hgetall(runStateKey(prefix, runId));
  try {
    const parsed = StoredRun.safeParse(stored);
    return parsed.success ? { runId, ...parsed.data } : undefined;
  } catch {
    return undefined; // `outcome` is not JSON
  }
}

export async function latestRunOf(redis: RedisConnection, prefix: string, episodeId: string): Promise<string | undefined> {
  return (await redis.get(latestRunKey(prefix, episodeId))) ?? undefined;
}

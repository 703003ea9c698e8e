import type { RedisConnection } from './redis.ts';
import { z } from 'zod';
import { type ResultRow, STAGE_NAMES, VARIANT_NAMES, type VariantName } from '@podpreview/shared';
import { LuaScript } from './lua-script.ts';
import { episodeRunsKey, inflightKey, latestRunKey, runCallbacksKey, runIndexKey, runStateKey } from './redis.keys.ts';

/** What Redis remembers of a run apart from its jobs: enough for status once they are trimmed. */
export interface RunRecord {
  runId: string;
  episodeId: string;
  state: 'queued' | ResultRow['status'];
  enqueuedAtMs: number;
  /** What was submitted, so the run can be retried (`podpreview retry`) while its record lasts. */
  request?: { audioUri: string; transcriptUri?: string; priority: boolean; transcribe?: boolean };
  /** A client asked to cancel the run; workers stop it at the next stage boundary. */
  cancelRequested?: boolean;
  /** The variant whose queues run it (absent in records from before variants: production). */
  variant?: VariantName;
  /** The fallback variant's run this run was handed to (it failed, or passed its deadline). */
  fallbackRunId?: string;
  /** The API credential that started it (PODPREVIEW_API_TENANCY=owner: it reads the run); absent for runs from the command line. */
  owner?: string;
  /** Other credentials whose identical request joined it: they may read it too. */
  readers?: string[];
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
  run: Pick<RunRecord, 'runId' | 'episodeId' | 'enqueuedAtMs' | 'request' | 'variant' | 'owner'>,
): Promise<void> {
  const key = runStateKey(prefix, run.runId);
  await redis
    .multi()
    .hset(key, {
      episodeId: run.episodeId,
      state: 'queued',
      enqueuedAtMs: String(run.enqueuedAtMs),
      ...(run.request ? { request: JSON.stringify(run.request) } : {}),
      ...(run.variant ? { variant: run.variant } : {}),
      ...(run.owner ? { owner: run.owner } : {}),
    })
    .pexpire(key, ttlMs)
    .exec();
}

/** A request that joined another run drops the record it wrote for its own, never-started one. */
export async function forgetRun(redis: RedisConnection, prefix: string, runId: string): Promise<void> {
  await redis.del(runStateKey(prefix, runId));
}

export interface RunIndexLimits {
  runStateTtlMs: number;
  runIndexMax: number;
  runsPerEpisodeMax: number;
}

/**
 * The claim is won: this run is the episode's newest, and joins the indexes the listings read.
 * Both indexes are trimmed here, by age (the run state's TTL: older runs are the results
 * table's) and by count, so they stay bounded however many runs arrive.
 */
export async function recordLatestRun(
  redis: RedisConnection,
  prefix: string,
  limits: RunIndexLimits,
  episodeId: string,
  runId: string,
  enqueuedAtMs: number,
): Promise<void> {
  const perEpisode = episodeRunsKey(prefix, episodeId);
  const index = runIndexKey(prefix);
  const expired = enqueuedAtMs - limits.runStateTtlMs;
  await redis
    .multi()
    .set(latestRunKey(prefix, episodeId), runId, 'PX', limits.runStateTtlMs)
    .zadd(perEpisode, enqueuedAtMs, runId)
    .zremrangebyrank(perEpisode, 0, -(limits.runsPerEpisodeMax + 1))
    .pexpire(perEpisode, limits.runStateTtlMs)
    .zadd(index, enqueuedAtMs, runId)
    .zremrangebyscore(index, '-inf', `(${expired}`)
    .zremrangebyrank(index, 0, -(limits.runIndexMax + 1))
    // Every entry is younger than this, so once no run arrives for that long the index is empty anyway.
    .pexpire(index, limits.runStateTtlMs)
    .exec();
}

/** Run ids of an episode, newest first (at most PODPREVIEW_RUNS_PER_EPISODE_MAX, within the run-state TTL). */
export async function episodeRunIds(redis: RedisConnection, prefix: string, episodeId: string): Promise<string[]> {
  return redis.zrevrange(episodeRunsKey(prefix, episodeId), 0, -1);
}

/**
 * One page of the run index, newest first: runs enqueued before `before` (a score, or a score and
 * run id to break ties), at or after `sinceMs`.
 */
export async function indexedRuns(
  redis: RedisConnection,
  prefix: string,
  o: { sinceMs: number; before?: { atMs: number; runId: string }; count: number },
): Promise<{ runId: string; enqueuedAtMs: number }[]> {
  const max = o.before ? String(o.before.atMs) : '+inf';
  const out: { runId: string; enqueuedAtMs: number }[] = [];
  // Ties at `before.atMs` come in descending run-id order (as ZREVRANGEBYSCORE returns them):
  // those down to the cursor's run were on earlier pages, however many share its millisecond.
  for (let offset = 0; out.length < o.count; ) {
    const raw = await redis.zrevrangebyscore(runIndexKey(prefix), max, String(o.sinceMs), 'WITHSCORES', 'LIMIT', offset, o.count + 64);
    if (raw.length === 0) break;
    offset += raw.length / 2;
    for (let i = 0; i + 1 < raw.length && out.length < o.count; i += 2) {
      const runId = raw[i]!;
      const enqueuedAtMs = Number(raw[i + 1]);
      if (o.before && enqueuedAtMs === o.before.atMs && runId >= o.before.runId) continue;
      out.push({ runId, enqueuedAtMs });
    }
  }
  return out;
}

/** Where a run's result is POSTed when it ends, and whose secret signs it. */
export interface CallbackTarget {
  url: string;
  credential: string;
}

/** Requests joining one run each add their callback; more than this many are not kept. */
const MAX_CALLBACKS_PER_RUN = 100;

export async function addRunCallback(redis: RedisConnection, prefix: string, ttlMs: number, runId: string, target: CallbackTarget): Promise<void> {
  const key = runCallbacksKey(prefix, runId);
  await redis
    .multi()
    .rpush(key, JSON.stringify(target))
    .ltrim(key, 0, MAX_CALLBACKS_PER_RUN - 1)
    .pexpire(key, ttlMs)
    .exec();
}

/** Takes (reads and removes) the callbacks a run owes: for a run that ended before a joining request added its own. */
export async function takeRunCallbacks(redis: RedisConnection, prefix: string, runId: string): Promise<CallbackTarget[]> {
  const key = runCallbacksKey(prefix, runId);
  const [[, list] = [null, []]] = (await redis.multi().lrange(key, 0, -1).del(key).exec()) ?? [];
  return parseTargets(list as string[]);
}

function parseTargets(list: string[]): CallbackTarget[] {
  return list.flatMap((raw) => {
    try {
      const t = JSON.parse(raw) as CallbackTarget;
      return typeof t.url === 'string' && typeof t.credential === 'string' ? [t] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Marks a queued or running run for cancellation. 'requested': workers stop it at the next
 * stage boundary; 'ended': it had already ended; 'unknown': no such run (or it expired).
 */
const REQUEST_CANCEL = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'unknown' end
if state ~= 'queued' then return 'ended' end
redis.call('HSET', KEYS[1], 'cancelRequested', '1')
return 'requested'`);

export async function requestCancel(redis: RedisConnection, prefix: string, runId: string): Promise<'requested' | 'ended' | 'unknown'> {
  return (await REQUEST_CANCEL.run(redis, [runStateKey(prefix, runId)], [])) as 'requested' | 'ended' | 'unknown';
}

/**
 * Marks a run as handed to the fallback variant, unless it already was: one fallback per run,
 * however many workers see it fail or pass its deadline at once. `requiredState` (the sweep's
 * `queued`): only a run still in that state is marked. A record that has expired is never
 * recreated. 1 when this call marked it.
 */
const MARK_HANDED_OVER = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if ARGV[2] ~= '' and state ~= ARGV[2] then return 0 end
return redis.call('HSETNX', KEYS[1], 'fallbackRunId', ARGV[1])`);

export async function markHandedOver(redis: RedisConnection, prefix: string, runId: string, fallbackRunId: string, requiredState?: 'queued'): Promise<boolean> {
  return (await MARK_HANDED_OVER.run(redis, [runStateKey(prefix, runId)], [fallbackRunId, requiredState ?? ''])) === 1;
}

const SET_HANDED_OVER = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '' then return redis.call('HDEL', KEYS[1], 'fallbackRunId') end
return redis.call('HSET', KEYS[1], 'fallbackRunId', ARGV[1])`);

/** Names the fallback run a handed-over run went to (the one it joined, if another was in flight), or clears the mark (the hand-over failed). */
export async function setHandedOver(redis: RedisConnection, prefix: string, runId: string, fallbackRunId: string | undefined): Promise<void> {
  await SET_HANDED_OVER.run(redis, [runStateKey(prefix, runId)], [fallbackRunId ?? '']);
}

/** Readers a run keeps besides its owner; more joining credentials are not added. */
const MAX_READERS_PER_RUN = 100;

/** Adds a credential whose request joined the run to those who may read it (not its owner, not twice, at most MAX_READERS_PER_RUN). */
const ADD_READER = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then return 0 end
local readers = redis.call('HGET', KEYS[1], 'readers') or ''
for name in string.gmatch(readers, '[^,]+') do
  if name == ARGV[1] then return 0 end
end
local _, n = string.gsub(readers, ',', ',')
if readers ~= '' and n + 1 >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'readers', readers == '' and ARGV[1] or (readers .. ',' .. ARGV[1]))
return 1`);

export async function addRunReader(redis: RedisConnection, prefix: string, runId: string, credential: string): Promise<void> {
  await ADD_READER.run(redis, [runStateKey(prefix, runId)], [credential, String(MAX_READERS_PER_RUN)]);
}

/** Whether a client asked to cancel the run (checked by workers at each stage boundary). */
export async function isCancelRequested(redis: RedisConnection, prefix: string, runId: string): Promise<boolean> {
  return (await redis.hget(runStateKey(prefix, runId), 'cancelRequested')) === '1';
}

/**
 * Written by the worker that ends the run, once its result row is safe: the run's outcome and
 * the release of its episode's claim (only if the run still holds it), in one script.
 */
const RUN_ENDED = new LuaScript(`
redis.call('HSET', KEYS[1], 'episodeId', ARGV[1], 'state', ARGV[2], 'enqueuedAtMs', ARGV[3], 'outcome', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if redis.call('GET', KEYS[2]) == ARGV[6] then redis.call('DEL', KEYS[2]) end
local callbacks = redis.call('LRANGE', KEYS[3], 0, -1)
redis.call('DEL', KEYS[3])
return callbacks`);

/** Returns the completion callbacks the run owes (taken: a second end of the same run owes none). */
export async function recordRunEnded(redis: RedisConnection, prefix: string, ttlMs: number, row: ResultRow): Promise<CallbackTarget[]> {
  const { previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey, failedStage, errorCode, errorMessage } = row;
  const outcome = { previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey, failedStage, errorCode, errorMessage };
  const callbacks = await RUN_ENDED.run(
    redis,
    [runStateKey(prefix, row.runId), inflightKey(prefix, row.episodeId), runCallbacksKey(prefix, row.runId)],
    [row.episodeId, row.status, String(row.enqueuedAtMs), JSON.stringify(outcome), ttlMs, row.runId],
  );
  return parseTargets(Array.isArray(callbacks) ? (callbacks as string[]) : []);
}

const StoredRun = z.object({
  episodeId: z.string(),
  state: z.enum(['queued', 'succeeded', 'failed', 'deduplicated', 'cancelled']),
  enqueuedAtMs: z.coerce.number(),
  request: z
    .string()
    .transform((s) => JSON.parse(s) as unknown)
    .pipe(z.object({ audioUri: z.string(), transcriptUri: z.string().optional(), priority: z.boolean(), transcribe: z.boolean().optional() }))
    .optional(),
  cancelRequested: z
    .literal('1')
    .transform(() => true)
    .optional(),
  variant: z.enum(VARIANT_NAMES).optional(),
  fallbackRunId: z.string().optional(),
  owner: z.string().optional(),
  readers: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
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

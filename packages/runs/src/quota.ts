import { luaScript } from './lua/index.ts';
import type { StageQueues } from './queues.ts';
import { inFlightKey } from './redis.keys.ts';

/** Expensive work a credential may have only so many runs of in flight at once. */
export type CostlyWork = 'web' | 'transcribe';

/** A reservation whose run has no record yet (its enqueue is a moment away) is kept this long. */
const RESERVATION_GRACE_MS = 60_000;

/**
 * Per-credential caps on the work that costs the most (downloads from the web, which a slow
 * host can stretch to the fetch deadline on every attempt, and speech-to-text): a submission
 * reserves a place for its run, and is refused when the credential already has `max` such runs
 * in flight. Places of runs that have ended are given back as the next submission looks; the set
 * holds at most `max` members and expires with the run state.
 */
export async function reserveInFlight(
  queues: StageQueues,
  o: { kind: CostlyWork; credential: string; runId: string; max: number; ttlMs: number; nowMs?: number },
): Promise<boolean> {
  const key = inFlightKey(queues.prefix, o.kind, o.credential);
  const nowMs = o.nowMs ?? Date.now();
  await pruneEnded(queues, key, nowMs);
  return (await luaScript('reserve-in-flight').run(queues.redis, [key], [o.runId, String(o.max), String(nowMs), String(o.ttlMs)])) === 1;
}

/** Gives a place back (the request joined another run, or failed before its run was queued). */
export async function releaseInFlight(queues: StageQueues, kind: CostlyWork, credential: string, runId: string): Promise<void> {
  await queues.redis.zrem(inFlightKey(queues.prefix, kind, credential), runId);
}

async function pruneEnded(queues: StageQueues, key: string, nowMs: number): Promise<void> {
  const raw = await queues.redis.zrange(key, '0', '-1', 'WITHSCORES');
  if (raw.length === 0) return;
  const members = Array.from({ length: raw.length / 2 }, (_, i) => ({ runId: raw[2 * i]!, atMs: Number(raw[2 * i + 1]) }));
  const ids = members.map((m) => m.runId);
  const own = await queues.runs.states(ids);
  // A run routed to the fallback variant keeps its record there.
  const there = queues.fallback ? await queues.fallback.runs.states(ids) : [];
  const ended = members.filter((m, i) => {
    const state = own[i]?.state ?? there[i]?.state ?? null;
    return state === null ? nowMs - m.atMs > RESERVATION_GRACE_MS : state !== 'queued';
  });
  if (ended.length > 0) await queues.redis.zrem(key, ...ended.map((m) => m.runId));
}

import type { RedisConnection } from './redis.ts';
import { inflightKey } from './redis.keys.ts';

/**
 * One run per episode at a time. Enqueue claims the episode with SET NX, so simultaneous
 * requests race inside Redis and exactly one wins; the worker that ends the run releases the
 * claim. A claim whose release was lost (a crash between the result row and the release) is
 * taken over by the next enqueue as soon as its run is seen to be over (enqueue.ts); the TTL
 * only bounds the key itself.
 */
const CLAIM_TTL_MS = 6 * 3600_000;

// Compare-and-set / compare-and-delete: a stale holder must not clobber a newer run's claim.
const REPLACE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0`;
const RELEASE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type Claim = { won: true } | { won: false; holder: string };

export async function claimEpisode(redis: RedisConnection, prefix: string, episodeId: string, runId: string): Promise<Claim> {
  const key = inflightKey(prefix, episodeId);
  if ((await redis.set(key, runId, 'PX', CLAIM_TTL_MS, 'NX')) === 'OK') return { won: true };
  const holder = await redis.get(key);
  if (holder === null) return claimEpisode(redis, prefix, episodeId, runId); // released meanwhile
  return { won: false, holder };
}

/** Takes the claim from `holder` (a run that turned out to be over), unless someone else did first. */
export async function replaceClaim(redis: RedisConnection, prefix: string, episodeId: string, holder: string, runId: string): Promise<boolean> {
  return (await redis.eval(REPLACE_IF, 1, inflightKey(prefix, episodeId), holder, runId, String(CLAIM_TTL_MS))) === 1;
}

/** `force`: the new run takes the claim whoever holds it. */
export async function takeClaim(redis: RedisConnection, prefix: string, episodeId: string, runId: string): Promise<void> {
  await redis.set(inflightKey(prefix, episodeId), runId, 'PX', CLAIM_TTL_MS);
}

export async function releaseClaim(redis: RedisConnection, prefix: string, episodeId: string, runId: string): Promise<void> {
  await redis.eval(RELEASE_IF, 1, inflightKey(prefix, episodeId), runId);
}

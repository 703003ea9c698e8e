import { createHash } from 'node:crypto';
import { idempotencyKey, type StageQueues } from '@podpreview/runs';

type Redis = StageQueues['redis'];

/** Keys are the client's: printable ASCII, short enough to sit in a Redis key. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export type IdempotencyClaim = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown } | { kind: 'conflict' } | { kind: 'in-progress' };

/**
 * Idempotency-Key on submit: the first request with a key claims it (SET NX, with the body's
 * hash); a repeat with the same body gets the first answer again, one with another body is a
 * conflict. Keys are per credential and expire after PODPREVIEW_IDEMPOTENCY_TTL_MS, so their
 * number is bounded by the rate limit times that TTL. A claim not yet answered lives only
 * PODPREVIEW_IDEMPOTENCY_CLAIM_TTL_MS: an API that dies between claim and answer leaves the key
 * free for the very retry the header exists for, not taken for a day.
 */
export function idempotencyStore(redis: Redis, prefix: string, o: { ttlMs: number; claimTtlMs: number }) {
  const { ttlMs, claimTtlMs } = o;
  const keyOf = (caller: string, key: string) => idempotencyKey(prefix, caller, key);
  return {
    async claim(caller: string, key: string, body: unknown): Promise<IdempotencyClaim> {
      const hash = bodyHash(body);
      const k = keyOf(caller, key);
      if ((await redis.set(k, JSON.stringify({ hash }), 'PX', claimTtlMs, 'NX')) === 'OK') return { kind: 'new' };
      const stored = JSON.parse((await redis.get(k)) ?? '{}') as { hash?: string; status?: number; body?: unknown };
      if (stored.hash !== hash) return { kind: 'conflict' };
      if (stored.status === undefined) return { kind: 'in-progress' };
      return { kind: 'replay', status: stored.status, body: stored.body };
    },
    async complete(caller: string, key: string, body: unknown, answer: { status: number; body: unknown }): Promise<void> {
      await redis.set(keyOf(caller, key), JSON.stringify({ hash: bodyHash(body), ...answer }), 'PX', ttlMs);
    },
    /** The request failed before it was answered: the key is free for the client's retry. */
    async release(caller: string, key: string): Promise<void> {
      await redis.del(keyOf(caller, key));
    },
  };
}

/** Of the parsed body (defaults applied), so formatting and key order do not make two bodies differ. */
function bodyHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Completion callbacks are signed like this (documented in the README for receivers):
 *
 *   Podpreview-Timestamp: <unix seconds when this attempt was sent>
 *   Podpreview-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * The timestamp is inside the MAC, so a captured request cannot be replayed later than the
 * receiver's window (REPLAY_WINDOW_SEC by default) with a fresh timestamp; receivers also drop
 * a `deliveryId` they have seen (each retry of one delivery carries the same id).
 */
export const SIGNATURE_HEADER = 'podpreview-signature';
export const TIMESTAMP_HEADER = 'podpreview-timestamp';
export const REPLAY_WINDOW_SEC = 300;

export function signCallback(secret: string, body: string, timestampSec: number): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** What a receiver does (and what the tests do): the signature must match and be recent. */
export function verifyCallback(
  secret: string,
  body: string,
  headers: { signature: string | undefined | null; timestamp: string | undefined | null },
  o: { nowMs?: number; windowSec?: number } = {},
): VerifyResult {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !headers.timestamp || !Number.isInteger(ts)) return { ok: false, reason: 'missing' };
  if (Math.abs((o.nowMs ?? Date.now()) / 1000 - ts) > (o.windowSec ?? REPLAY_WINDOW_SEC)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signCallback(secret, body, ts));
  const presented = Buffer.from(headers.signature);
  return expected.length === presented.length && timingSafeEqual(expected, presented) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

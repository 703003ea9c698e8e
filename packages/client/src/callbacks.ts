import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Completion callbacks are signed in the Standard Webhooks format (https://www.standardwebhooks.com),
 * so receivers can use a ready-made verifier in their language:
 *
 *   webhook-id: <deliveryId>                     the same on every retry of one delivery
 *   webhook-timestamp: <unix seconds of this attempt>
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>
 *
 * The key is the credential's secret: a `whsec_<base64>` secret is decoded as Standard Webhooks
 * says; any other secret is used as its UTF-8 bytes, and receivers' libraries take it as
 * `standardWebhooksSecret(secret)` (`whsec_` + base64 of those bytes). For one release the
 * previous headers come too:
 *
 *   Podpreview-Timestamp: <the same timestamp>
 *   Podpreview-Signature: v1=<hex HMAC-SHA256(key, "<timestamp>.<raw body>")>
 *   Podpreview-Delivery: <deliveryId>
 *
 * The timestamp is inside the MAC, so a captured request cannot be replayed later than the
 * receiver's window (REPLAY_WINDOW_SEC) with a fresh timestamp; receivers also drop an id they
 * have already handled.
 */
export const REPLAY_WINDOW_SEC = 300;

export const HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  legacyDelivery: 'podpreview-delivery',
  legacyTimestamp: 'podpreview-timestamp',
  legacySignature: 'podpreview-signature',
} as const;

const WHSEC = 'whsec_';

/** The HMAC key of a secret: a `whsec_` secret's base64 payload, else the secret's UTF-8 bytes. */
function keyOf(secret: string): Buffer {
  return secret.startsWith(WHSEC) ? Buffer.from(secret.slice(WHSEC.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** The same secret in Standard Webhooks' own notation, for a receiver's library (`new Webhook(...)`). */
export function standardWebhooksSecret(secret: string): string {
  return secret.startsWith(WHSEC) ? secret : `${WHSEC}${Buffer.from(secret, 'utf8').toString('base64')}`;
}

/** `v1,<base64>`: the Standard Webhooks signature of one delivery attempt. */
export function signStandard(secret: string, id: string, timestampSec: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

/** `v1=<hex>`: the previous Podpreview-Signature (kept for one release), keyed by the secret as written, as before. */
export function signLegacy(secret: string, timestampSec: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/** Every signature header of one delivery attempt; `legacy: false` leaves the previous ones out. */
export function callbackHeaders(
  secret: string,
  delivery: { id: string; timestampSec: number; body: string },
  o: { legacy?: boolean } = {},
): Record<string, string> {
  const { id, timestampSec, body } = delivery;
  return {
    [HEADERS.id]: id,
    [HEADERS.timestamp]: String(timestampSec),
    [HEADERS.signature]: signStandard(secret, id, timestampSec, body),
    ...(o.legacy === false
      ? {}
      : {
          [HEADERS.legacyDelivery]: id,
          [HEADERS.legacyTimestamp]: String(timestampSec),
          [HEADERS.legacySignature]: signLegacy(secret, timestampSec, body),
        }),
  };
}

export type VerifyResult = { ok: true; id: string; timestampSec: number } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object give them; names in any case. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const entry = Object.entries(headers as Record<string, string | string[] | undefined>).find(([k]) => k.toLowerCase() === name);
  const v = entry?.[1];
  return Array.isArray(v) ? v[0] : v;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * What a receiver does with a callback: the signature must match the raw body with this
 * secret, and the timestamp be within the replay window. Reads the Standard Webhooks headers,
 * or the previous Podpreview-* ones when those are all a request has. Compare the returned `id`
 * with the ids already handled: a retry carries the same one.
 */
export function verifyCallback(secret: string, body: string, headers: HeaderSource, o: { nowMs?: number; windowSec?: number } = {}): VerifyResult {
  const standard = { id: header(headers, HEADERS.id), ts: header(headers, HEADERS.timestamp), sig: header(headers, HEADERS.signature) };
  const legacy = { id: header(headers, HEADERS.legacyDelivery), ts: header(headers, HEADERS.legacyTimestamp), sig: header(headers, HEADERS.legacySignature) };
  const useStandard = standard.id !== undefined && standard.ts !== undefined && standard.sig !== undefined;
  const { id, ts, sig } = useStandard ? standard : legacy;
  const timestampSec = Number(ts);
  if (!sig || !ts || !Number.isInteger(timestampSec)) return { ok: false, reason: 'missing' };
  if (Math.abs((o.nowMs ?? Date.now()) / 1000 - timestampSec) > (o.windowSec ?? REPLAY_WINDOW_SEC)) return { ok: false, reason: 'stale' };
  const matches = useStandard
    ? // Several space-separated signatures may come (a secret being rotated): any one will do.
      sig.split(' ').some((s) => same(s, signStandard(secret, id!, timestampSec, body)))
    : same(sig, signLegacy(secret, timestampSec, body));
  return matches ? { ok: true, id: id ?? '', timestampSec } : { ok: false, reason: 'mismatch' };
}

import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { callbackHeaders, standardWebhooksSecret, verifyCallback } from './callbacks.ts';

const SECRET = 'platform-callback-secret-0123456789';
const BODY = '{"event":"run.ended","deliveryId":"msg_1","run":{"runId":"r1"}}';
const NOW = 1_764_662_400_000;
const signed = (o: { legacy?: boolean; secret?: string } = {}) =>
  callbackHeaders(o.secret ?? SECRET, { id: 'msg_1', timestampSec: NOW / 1000, body: BODY }, { legacy: o.legacy });

describe('callback signatures', () => {
  it('verify in both formats, from plain objects (any case) and fetch Headers', () => {
    const h = signed();
    expect(verifyCallback(SECRET, BODY, h, { nowMs: NOW })).toEqual({ ok: true, id: 'msg_1', timestampSec: NOW / 1000 });
    const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyCallback(SECRET, BODY, upper, { nowMs: NOW })).toMatchObject({ ok: true });
    expect(verifyCallback(SECRET, BODY, new Headers(h), { nowMs: NOW })).toMatchObject({ ok: true });
    const legacy = Object.fromEntries(Object.entries(h).filter(([k]) => k.startsWith('podpreview-')));
    expect(verifyCallback(SECRET, BODY, legacy, { nowMs: NOW })).toMatchObject({ ok: true, id: 'msg_1' });
    expect(Object.keys(signed({ legacy: false })).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
  });

  it('refuse another secret, another body, another id, a stale or missing timestamp', () => {
    const h = signed();
    expect(verifyCallback('another-secret-0123456789', BODY, h, { nowMs: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyCallback(SECRET, `${BODY} `, h, { nowMs: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyCallback(SECRET, BODY, { ...signed({ legacy: false }), 'webhook-id': 'msg_2' }, { nowMs: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyCallback(SECRET, BODY, h, { nowMs: NOW + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyCallback(SECRET, BODY, h, { nowMs: NOW - 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyCallback(SECRET, BODY, {}, { nowMs: NOW })).toEqual({ ok: false, reason: 'missing' });
  });

  it('accept any of several signatures (a secret being rotated)', () => {
    const h = signed({ legacy: false });
    const other = signed({ legacy: false, secret: 'old-secret-0123456789abcdef' })['webhook-signature'];
    expect(verifyCallback(SECRET, BODY, { ...h, 'webhook-signature': `${other} ${h['webhook-signature']}` }, { nowMs: NOW })).toMatchObject({ ok: true });
  });

  it('are Standard Webhooks: the reference library verifies ours, and we verify its, plain and whsec_ secrets alike', () => {
    for (const secret of [SECRET, `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`]) {
      const ours = signed({ secret, legacy: false });
      // The library checks the timestamp against its own clock: sign for now.
      const now = callbackHeaders(secret, { id: 'msg_1', timestampSec: Math.floor(Date.now() / 1000), body: BODY }, { legacy: false });
      expect(new Webhook(standardWebhooksSecret(secret)).verify(BODY, now)).toMatchObject({ event: 'run.ended' });
      const theirs = new Webhook(standardWebhooksSecret(secret)).sign('msg_1', new Date(NOW), BODY);
      expect(theirs).toBe(ours['webhook-signature']);
      expect(verifyCallback(secret, BODY, { ...ours, 'webhook-signature': theirs }, { nowMs: NOW })).toMatchObject({ ok: true });
    }
    expect(standardWebhooksSecret(SECRET)).toBe(`whsec_${Buffer.from(SECRET).toString('base64')}`);
  });
});

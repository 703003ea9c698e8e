import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blobStoreContract } from './blob.suite.ts';
import { GcsBlobStore } from './blob.gcs.ts';
import { startGcsStandin, type GcsStandin } from './testing/index.ts';

let standin: GcsStandin;
let bucketSeq = 0;

beforeAll(async () => {
  // Any attempt to authenticate would now fail loudly instead of quietly finding credentials.
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '/nonexistent/podpreview-test-credentials.json');
  standin = await startGcsStandin();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standin.close();
});

blobStoreContract('GcsBlobStore (stand-in)', async () => ({
  store: new GcsBlobStore({ bucket: `bucket-${++bucketSeq}`, apiEndpoint: standin.url, projectId: 'podpreview-test' }),
  dispose: async () => {},
}));

describe('GcsBlobStore', () => {
  it('writes real objects to the bucket and names them gs://bucket/key', async () => {
    const store = new GcsBlobStore({ bucket: 'clips', apiEndpoint: standin.url });
    await store.put('ep-1/selection.json', Buffer.from('{"start":12}'));
    expect(standin.getObject('clips', 'ep-1/selection.json')?.toString()).toBe('{"start":12}');
    expect(store.uri('ep-1/selection.json')).toBe('gs://clips/ep-1/selection.json');
  });

  it('reads objects written by someone else', async () => {
    standin.putObject('shared', 'in/ep.wav', Buffer.from('RIFF'));
    const store = new GcsBlobStore({ bucket: 'shared', apiEndpoint: standin.url });
    expect((await store.get('in/ep.wav')).toString()).toBe('RIFF');
  });

  it('keeps other errors ordinary (not "not found")', async () => {
    standin.failBucket('locked', 403);
    const store = new GcsBlobStore({ bucket: 'locked', apiEndpoint: standin.url });
    await expect(store.get('x.bin')).rejects.toMatchObject({ code: 403 });
  });

  it('signs an expiring V4 URL with a service-account key, verifiable with its public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const store = new GcsBlobStore({
      bucket: 'signed',
      apiEndpoint: standin.url,
      signingCredentials: { client_email: 'previews@podpreview-test.iam.gserviceaccount.com', private_key: pem },
    });
    await store.put('ep/clip.mp3', Buffer.from('ID3 clip'));
    const before = Date.now();
    const { url, expiresAt } = await store.signedUrl('ep/clip.mp3', 600);
    const u = new URL(url);
    expect(u.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(u.searchParams.get('X-Goog-Expires')).toBe('600');
    expect(u.searchParams.get('X-Goog-Credential')).toMatch(/^previews@podpreview-test\.iam\.gserviceaccount\.com\//);
    expect(u.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{512}$/);
    expect(expiresAt.getTime() - before).toBeGreaterThanOrEqual(599_000);
    expect(u.pathname).toMatch(/\/signed\/ep\/clip\.mp3$/);
    // Google's V4 check, redone here: the canonical request of this very URL, signed by the key.
    const query = u.search
      .slice(1)
      .split('&')
      .filter((p) => !p.startsWith('X-Goog-Signature='))
      .sort()
      .join('&');
    const canonical = ['GET', u.pathname, query, `host:${u.hostname}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
    const scope = decodeURIComponent(u.searchParams.get('X-Goog-Credential')!).split('/').slice(1).join('/');
    const signed = (request: string) =>
      verify(
        'RSA-SHA256',
        Buffer.from(['GOOG4-RSA-SHA256', u.searchParams.get('X-Goog-Date'), scope, createHash('sha256').update(request).digest('hex')].join('\n')),
        publicKey,
        Buffer.from(u.searchParams.get('X-Goog-Signature')!, 'hex'),
      );
    expect(signed(canonical)).toBe(true);
    expect(signed(canonical.replace('clip.mp3', 'other.mp3'))).toBe(false);
  });

  // Runs last in this file: checks every call above.
  it('used only implemented calls, without credentials', () => {
    expect(standin.unhandled).toEqual([]);
    expect(standin.authorized).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blobStoreContract } from './blob.contract.ts';
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

  // Runs last in this file: checks every call above.
  it('used only implemented calls, without credentials', () => {
    expect(standin.unhandled).toEqual([]);
    expect(standin.authorized).toEqual([]);
  });
});

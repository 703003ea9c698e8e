import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobContractError, getJsonBlob, putJsonBlob, SentencesBlob, TranscriptBlob } from '@podpreview/shared';
import { LocalBlobStore } from './blob.local.ts';

// The blob contracts of packages/shared, through a real (filesystem) store.

let dir: string;
let store: LocalBlobStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-json-blob-'));
  store = new LocalBlobStore(dir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JSON blobs with contracts', () => {
  it('round-trips a blob that matches its schema', async () => {
    const blob: TranscriptBlob = { version: 1, cues: [{ startSec: 0, endSec: 2.5, text: 'Hello there.' }] };
    await putJsonBlob(store, 'episodes/e/r/transcript.json', blob);
    expect(await getJsonBlob(store, 'episodes/e/r/transcript.json', TranscriptBlob)).toEqual(blob);
  });

  it('fails at the boundary, naming the key and the field, when a writer of another version wrote it', async () => {
    await putJsonBlob(store, 'episodes/e/r/sentences.json', { version: 2, sentences: [] });
    const err = await getJsonBlob(store, 'episodes/e/r/sentences.json', SentencesBlob).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobContractError);
    expect((err as Error).message).toMatch(/episodes\/e\/r\/sentences\.json.*version/);
  });

  it('fails on a shape mismatch inside the blob and on bytes that are not JSON', async () => {
    await putJsonBlob(store, 'a/s.json', { version: 1, sentences: [{ startSec: 1, endSec: 2, text: 'x', scores: { ad: 'high' } }] });
    await expect(getJsonBlob(store, 'a/s.json', SentencesBlob)).rejects.toThrow(/sentences\.0\.scores\.ad/);
    await store.put('a/t.json', Buffer.from('{"version":1,'));
    await expect(getJsonBlob(store, 'a/t.json', TranscriptBlob)).rejects.toBeInstanceOf(BlobContractError);
  });
});

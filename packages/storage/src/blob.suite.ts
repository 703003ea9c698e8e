import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '@podpreview/shared';
import { BlobNotFoundError, InvalidBlobKeyError } from './errors/storage.errors.ts';

export interface BlobStoreFixture {
  store: BlobStore;
  dispose(): Promise<void>;
}

/**
 * What every BlobStore must do, run against each implementation (LocalBlobStore, GcsBlobStore
 * against the stand-in), so the stages can switch backends without noticing.
 */
export function blobStoreContract(name: string, create: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;
    let scratch: string;

    beforeEach(async () => {
      fixture = await create();
      store = fixture.store;
      scratch = await mkdtemp(path.join(tmpdir(), 'blob-contract-'));
    });
    afterEach(async () => {
      await fixture.dispose();
      await rm(scratch, { recursive: true, force: true });
    });

    it('round-trips bytes under a nested key', async () => {
      const data = new Uint8Array([0, 1, 2, 127, 128, 254, 255]);
      await store.put('episodes/ep-1/vad/track.f32', data);
      expect(await store.get('episodes/ep-1/vad/track.f32')).toEqual(Buffer.from(data));
    });

    it('reads a blob into shared memory, and a missing one fails as get does', async () => {
      const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251);
      await store.put('episodes/ep-1/audio.pcm', data);
      const shared = await store.getShared('episodes/ep-1/audio.pcm');
      expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Buffer.from(shared)).toEqual(Buffer.from(data));
      expect(await store.getShared('nope/missing.pcm').catch((e: unknown) => e)).toBeInstanceOf(BlobNotFoundError);
    });

    it('stores only the view of a Uint8Array, not its whole buffer', async () => {
      const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
      await store.put('view.bin', backing.subarray(2, 5));
      expect(await store.get('view.bin')).toEqual(Buffer.from([1, 2, 3]));
    });

    it('overwrites an existing key', async () => {
      await store.put('k.json', Buffer.from('{"v":1}'));
      await store.put('k.json', Buffer.from('{"v":2}'));
      expect((await store.get('k.json')).toString()).toBe('{"v":2}');
    });

    it('exists is true for a written key and false for a missing key or a mere prefix', async () => {
      await store.put('a/b/c.bin', Buffer.from('x'));
      expect(await store.exists('a/b/c.bin')).toBe(true);
      expect(await store.exists('a/b/missing.bin')).toBe(false);
      expect(await store.exists('a/b')).toBe(false);
    });

    it('get of a missing key throws BlobNotFoundError naming the key', async () => {
      const err = await store.get('nope/missing.bin').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlobNotFoundError);
      expect((err as Error).message).toContain('nope/missing.bin');
    });

    it('putFile then getToFile round-trips a file, creating the target directory', async () => {
      const source = path.join(scratch, 'clip.mp3');
      const data = randomBytes(64 * 1024);
      await writeFile(source, data);
      await store.putFile('clips/ep-1.mp3', source);
      const target = path.join(scratch, 'out', 'deeper', 'clip.mp3');
      await store.getToFile('clips/ep-1.mp3', target);
      expect(await readFile(target)).toEqual(data);
      expect(await store.get('clips/ep-1.mp3')).toEqual(data);
    });

    it('moveFile stores a file and takes it away from the caller', async () => {
      const source = path.join(scratch, 'audio.pcm');
      const data = randomBytes(256 * 1024);
      await writeFile(source, data);
      await store.moveFile('episodes/ep-1/run/audio.pcm', source);
      expect((await store.get('episodes/ep-1/run/audio.pcm')).equals(data)).toBe(true);
      await expect(stat(source)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('handles a file larger than the resumable-upload threshold', async () => {
      const source = path.join(scratch, 'episode.wav');
      const data = randomBytes(9 * 1024 * 1024);
      await writeFile(source, data);
      await store.putFile('sources/ep-1.wav', source);
      const target = path.join(scratch, 'back.wav');
      await store.getToFile('sources/ep-1.wav', target);
      expect((await readFile(target)).equals(data)).toBe(true);
    });

    it('getToFile of a missing key throws BlobNotFoundError and creates no file', async () => {
      const target = path.join(scratch, 'never.bin');
      await expect(store.getToFile('missing/key.bin', target)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it.each(['../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a\\..\\b', ''])('rejects the key %j', async (key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.exists(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    });

    it('delete removes one blob and ignores a missing one', async () => {
      await store.put('del/one.bin', Buffer.from('1'));
      await store.put('del/two.bin', Buffer.from('2'));
      await store.delete('del/one.bin');
      await store.delete('del/never-written.bin');
      expect(await store.exists('del/one.bin')).toBe(false);
      expect(await store.exists('del/two.bin')).toBe(true);
    });

    it('deletePrefix removes everything under the prefix and nothing beside it', async () => {
      await store.put('run/a/tracks/vad.f32', Buffer.from('v'));
      await store.put('run/a/tracks/sed.f32', Buffer.from('s'));
      await store.put('run/a/preview.mp3', Buffer.from('c'));
      await store.put('run/ab/tracks/vad.f32', Buffer.from('other run'));
      await store.deletePrefix('run/a/tracks');
      await store.deletePrefix('run/never');
      expect(await store.exists('run/a/tracks/vad.f32')).toBe(false);
      expect(await store.exists('run/a/tracks/sed.f32')).toBe(false);
      expect(await store.exists('run/a/preview.mp3')).toBe(true);
      expect(await store.exists('run/ab/tracks/vad.f32')).toBe(true);
      await expect(store.deletePrefix('../x')).rejects.toBeInstanceOf(InvalidBlobKeyError);
    });

    it('uri names the key', async () => {
      expect(store.uri('episodes/ep-1/pcm.s16')).toMatch(/^(file:\/\/\/|gs:\/\/).*\/episodes\/ep-1\/pcm\.s16$/);
    });
  });
}

import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobStoreContract } from './blob.suite.ts';
import { InvalidBlobKeyError } from './errors/storage.errors.ts';
import { LocalBlobStore } from './blob.local.ts';

blobStoreContract('LocalBlobStore', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'blob-local-'));
  return { store: new LocalBlobStore(path.join(root, 'blobs')), dispose: () => rm(root, { recursive: true, force: true }) };
});

describe('LocalBlobStore', () => {
  let root: string;
  let store: LocalBlobStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'blob-local-'));
    store = new LocalBlobStore(path.join(root, 'blobs'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('rejects ../x and writes nothing outside its root', async () => {
    await expect(store.put('../x', Buffer.from('escape'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(stat(path.join(root, 'x'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('uri is a file:/// URL of the absolute path, spaces encoded', async () => {
    await store.put('a b/c.bin', Buffer.from('x'));
    const uri = store.uri('a b/c.bin');
    expect(uri).toBe(`file://${path.join(root, 'blobs', 'a%20b', 'c.bin')}`);
    expect(await readFile(fileURLToPath(uri), 'utf8')).toBe('x');
  });

  it('a reader racing writers sees an old or a new file, never a partial one', async () => {
    const a = Buffer.alloc(4 * 1024 * 1024, 'a');
    const b = Buffer.alloc(3 * 1024 * 1024, 'b');
    await store.put('race.bin', a);
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const reads = Array.from({ length: 4 }, () => store.get('race.bin'));
      const [, ...results] = await Promise.all([store.put('race.bin', i % 2 ? a : b), ...reads]);
      for (const r of results) {
        const whole = r.equals(a) ? 'a' : r.equals(b) ? 'b' : `partial(${r.length})`;
        seen.add(whole);
      }
    }
    expect([...seen].filter((s) => s.startsWith('partial'))).toEqual([]);
  });

  it('leaves no temp files behind', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.put('same/key.bin', Buffer.from(`v${i}`))));
    expect(await readdir(path.join(root, 'blobs', 'same'))).toEqual(['key.bin']);
  });
});

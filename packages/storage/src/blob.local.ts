import { open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BlobStore } from '@podpreview/shared';
import { assertBlobKey } from './blob-key.check.ts';
import { BlobNotFoundError } from './errors/storage.errors.ts';
import { copyFileAtomic, moveFileAtomic, writeFileAtomic } from './fs.atomic.ts';

/**
 * Blobs as files under `rootDir` (the default for one machine). Every write is temp file +
 * rename, so a worker reading a key while another writes it never sees half a file.
 */
export class LocalBlobStore implements BlobStore {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    await writeFileAtomic(this.pathFor(key), data);
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathFor(key));
    } catch (err) {
      throw this.notFoundOr(key, err);
    }
  }

  async getShared(key: string): Promise<Uint8Array> {
    try {
      const file = await open(this.pathFor(key));
      try {
        const { size } = await file.stat();
        const bytes = new Uint8Array(new SharedArrayBuffer(size));
        for (let at = 0; at < size; ) {
          const { bytesRead } = await file.read(bytes, at, size - at, at);
          if (bytesRead === 0) throw new Error(`${this.uri(key)}: ended after ${at} of ${size} bytes`);
          at += bytesRead;
        }
        return bytes;
      } finally {
        await file.close();
      }
    } catch (err) {
      throw this.notFoundOr(key, err);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathFor(key))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    await copyFileAtomic(localPath, this.pathFor(key));
  }

  async moveFile(key: string, localPath: string, o: { durable?: boolean } = {}): Promise<void> {
    await moveFileAtomic(localPath, this.pathFor(key), o);
  }

  async getToFile(key: string, localPath: string): Promise<void> {
    const source = this.pathFor(key);
    // Check first: an error from inside the stream pipeline would be harder to tell apart.
    if (!(await this.exists(key))) throw new BlobNotFoundError(this.uri(key));
    try {
      // A scratch copy for ffmpeg: nothing keeps it past a crash, so it is not synced.
      await copyFileAtomic(source, localPath, { durable: false });
    } catch (err) {
      throw this.notFoundOr(key, err);
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathFor(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathFor(prefix.replace(/\/$/, '')), { recursive: true, force: true });
  }

  uri(key: string): string {
    return pathToFileURL(this.pathFor(key)).href;
  }

  /** The file behind a key, for serving it (the API's clip route, with Range support). */
  localPath(key: string): string {
    return this.pathFor(key);
  }

  private pathFor(key: string): string {
    assertBlobKey(key);
    return path.join(this.rootDir, ...key.split('/'));
  }

  private notFoundOr(key: string, err: unknown): unknown {
    return isMissing(err) ? new BlobNotFoundError(this.uri(key), err) : err;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // ENOTDIR: a key like `a/b` where `a` is a file, which also means "no such blob".
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes go to a temp file in the target's own directory, then `rename` over the target:
 * rename within one filesystem is atomic, so a concurrent reader sees the old file or the whole
 * new one, never a prefix. The temp name is hidden and unique per writer, so two writers of
 * the same key do not trample each other's half-written data (the last rename wins).
 */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

export async function writeFileAtomic(target: string, data: Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      // Without the fsync a crash right after the rename can leave an empty file under the
      // final name on some filesystems.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Streams `source` into `target` atomically; on any error the target is left untouched. */
export async function streamToFileAtomic(source: Readable, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await pipeline(source, createWriteStream(tmp, { flush: true }));
    await rename(tmp, target);
  } catch (err) {
    source.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Copies `source` into `target` atomically, durable (fsync) before the rename like the writes
 * above; the kernel copies the bytes (copy_file_range), not this process's event loop.
 * `durable: false` for a copy nobody keeps past a crash (a worker's scratch copy).
 */
export async function copyFileAtomic(source: string, target: string, o: { durable?: boolean } = {}): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await copyFile(source, tmp);
    if (o.durable !== false) await syncFile(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Moves `source` (a file its writer no longer needs) to `target`: synced (unless `durable:
 * false`), then renamed, so no byte is copied; across filesystems (EXDEV) it is copied and the
 * source removed.
 */
export async function moveFileAtomic(source: string, target: string, o: { durable?: boolean } = {}): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  if (o.durable !== false) await syncFile(source);
  try {
    await rename(source, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFileAtomic(source, target, o);
    await rm(source, { force: true });
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

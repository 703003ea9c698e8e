import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '@podpreview/shared';

/**
 * Where a server gets a clip's bytes from: a file on this machine (sent with Range support), a
 * signed URL to redirect to, or a temporary local copy of a remote blob (streamed, then removed).
 */
export type ClipSource =
  | { kind: 'file'; path: string }
  | { kind: 'signed'; url: string }
  | { kind: 'copy'; path: string; sizeBytes: number; cleanup: () => Promise<void> };

export interface ClipSourceOptions {
  /** Where a remote clip is copied to for the length of a response. */
  tempDir: string;
  /** Redirect to a signed URL valid this long where the store signs (the API); absent: never (a page whose CSP allows only itself). */
  signTtlSec?: number;
}

/** One answer, for the API and the dashboard alike, to "where do I send this clip from". */
export async function clipSource(blobs: BlobStore, key: string, o: ClipSourceOptions): Promise<ClipSource> {
  if (blobs.localPath) return { kind: 'file', path: blobs.localPath(key) };
  if (o.signTtlSec !== undefined && blobs.signedUrl) return { kind: 'signed', url: (await blobs.signedUrl(key, o.signTtlSec)).url };
  const dir = await mkdtemp(path.join(o.tempDir, 'clip-'));
  const file = path.join(dir, 'preview.mp3');
  try {
    await blobs.getToFile(key, file);
    return { kind: 'copy', path: file, sizeBytes: (await stat(file)).size, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

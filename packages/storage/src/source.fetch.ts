import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputNotFoundError } from '@podpreview/shared';
import { createStorageClient, downloadToFile, isGcsNotFound, type GcsClientOptions } from './gcs.client.ts';

export interface FetchSourceOptions {
  /** Client settings for gs:// URIs (a custom endpoint means no credentials). */
  gcs?: GcsClientOptions;
  /** Where gs:// objects are downloaded to; created if missing. */
  tmpDir: string;
}

export interface FetchedSource {
  /** A local, readable regular file (ffmpeg's input). */
  localPath: string;
  /** Deletes what fetchSource downloaded; never touches a caller's own file. */
  cleanup(): Promise<void>;
}

/**
 * Makes the episode's audio (or transcript) a local file. Local paths and file:// URIs are used
 * in place, since copying a long episode buys nothing; gs:// objects are downloaded.
 * A missing input is an InputNotFoundError (not retryable: the job fails at once with
 * `input_not_found`); any other failure, such as GCS being unreachable, stays an ordinary error
 * so the job is retried.
 */
export async function fetchSource(uri: string, options: FetchSourceOptions): Promise<FetchedSource> {
  if (/^gs:\/\//i.test(uri)) return downloadGcsObject(uri, options);
  return useLocalFile(uri, localPathOf(uri));
}

function localPathOf(uri: string): string {
  if (!/^file:\/\//i.test(uri)) return path.resolve(uri);
  try {
    return fileURLToPath(uri);
  } catch (err) {
    // e.g. file://otherhost/x: no such file on this machine.
    throw new InputNotFoundError(uri, err);
  }
}

async function useLocalFile(uri: string, localPath: string): Promise<FetchedSource> {
  try {
    if ((await stat(localPath)).isFile()) return { localPath, cleanup: async () => {} };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputNotFoundError(uri, err);
    throw err;
  }
  // A directory, socket or device: not an input file, and retrying will not make it one.
  throw new InputNotFoundError(uri, new Error(`${localPath} is not a regular file`));
}

async function downloadGcsObject(uri: string, options: FetchSourceOptions): Promise<FetchedSource> {
  const { bucket, object } = parseGsUri(uri);
  await mkdir(options.tmpDir, { recursive: true });
  // Keep the extension: it is a useful hint for ffmpeg and for whoever looks at the temp dir.
  const localPath = path.join(options.tmpDir, `source-${randomUUID()}${path.extname(object)}`);
  try {
    await downloadToFile(createStorageClient(options.gcs).bucket(bucket).file(object), localPath);
  } catch (err) {
    if (isGcsNotFound(err)) throw new InputNotFoundError(uri, err);
    throw err;
  }
  return { localPath, cleanup: () => rm(localPath, { force: true }) };
}

export function parseGsUri(uri: string): { bucket: string; object: string } {
  const match = /^gs:\/\/([^/]+)\/(.+)$/i.exec(uri);
  // `gs://bucket` or `gs://bucket/` names no object, so there is nothing to find.
  if (!match) throw new InputNotFoundError(uri, new Error('a gs:// URI needs a bucket and an object name'));
  return { bucket: match[1]!, object: match[2]! };
}

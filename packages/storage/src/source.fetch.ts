import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputNotFoundError, type InputPolicy, InputTooLargeError } from '@podpreview/shared';
import { createStorageClient, downloadToFile, type GcsClientOptions, isGcsNotFound } from './gcs.client.ts';
import { checkInput } from './inputs/input.policy.ts';
import { downloadWeb } from './inputs/web.fetch.ts';

export interface FetchSourceOptions {
  /** Where inputs may come from and how big they may be. */
  policy: InputPolicy;
  /** Client settings for gs:// URIs (a custom endpoint means no credentials). */
  gcs?: GcsClientOptions;
  /** Where remote inputs are downloaded to; created if missing. */
  tmpDir: string;
  /** The stage's abort signal: a download in progress stops when it fires. */
  signal?: AbortSignal;
  /** The job's last attempt at a web input (PODPREVIEW_FETCH_ATTEMPTS): its timeouts and 5xx are final. */
  finalAttempt?: boolean;
  /** A smaller size limit than the policy's (transcripts). */
  maxBytes?: number;
}

export interface FetchedSource {
  /** A local, readable regular file (ffmpeg's input). */
  localPath: string;
  /** Deletes what fetchSource downloaded; never touches a caller's own file. */
  cleanup(): Promise<void>;
}

/**
 * Makes the episode's audio (or transcript) a local file, within the input policy (roots,
 * buckets, public hosts, size). Local paths and file:// URIs are used in place, since copying
 * a long episode buys nothing; gs:// objects and web URLs are downloaded. A missing or refused
 * input is final (not retryable: the job fails at once with its reason); any other failure,
 * such as GCS being unreachable, stays an ordinary error so the job is retried.
 */
export async function fetchSource(uri: string, o: FetchSourceOptions): Promise<FetchedSource> {
  const maxBytes = o.maxBytes ?? o.policy.maxBytes;
  const where = await checkInput(uri, o.policy, { mustExist: true });
  if (where.kind === 'file') return useLocalFile(uri, where.path, maxBytes);
  await mkdir(o.tmpDir, { recursive: true });
  // Keep the extension: it is a useful hint for ffmpeg and for whoever looks at the temp dir.
  const ext = path.extname(where.kind === 'gs' ? where.object : where.url.pathname).slice(0, 8);
  const localPath = path.join(o.tmpDir, `source-${randomUUID()}${/^\.[A-Za-z0-9]+$/.test(ext) ? ext : ''}`);
  const cleanup = () => rm(localPath, { force: true });
  try {
    if (where.kind === 'gs') {
      const file = (await createStorageClient(o.gcs)).bucket(where.bucket).file(where.object);
      const [metadata] = await file.getMetadata();
      if (Number(metadata.size) > maxBytes) throw new InputTooLargeError(uri, maxBytes);
      await downloadToFile(file, localPath);
    } else {
      await downloadWeb(where.url, localPath, {
        maxBytes,
        timeoutMs: o.policy.fetchTimeoutMs,
        idleTimeoutMs: o.policy.fetchIdleTimeoutMs,
        allowPrivate: o.policy.allowPrivateUrls,
        finalAttempt: o.finalAttempt === true,
        ...(o.signal ? { signal: o.signal } : {}),
      });
    }
  } catch (err) {
    await cleanup();
    if (isGcsNotFound(err)) throw new InputNotFoundError(uri, err);
    throw err;
  }
  return { localPath, cleanup };
}

async function useLocalFile(uri: string, localPath: string, maxBytes: number): Promise<FetchedSource> {
  const info = await stat(localPath);
  // A directory, socket or device: not an input file, and retrying will not make it one.
  if (!info.isFile()) throw new InputNotFoundError(uri, new Error(`${localPath} is not a regular file`));
  if (info.size > maxBytes) throw new InputTooLargeError(uri, maxBytes);
  return { localPath, cleanup: async () => {} };
}

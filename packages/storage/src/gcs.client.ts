import type { File, Storage } from '@google-cloud/storage';
import { streamToFileAtomic } from './fs.atomic.ts';

type GcsSdk = typeof import('@google-cloud/storage');
let sdk: GcsSdk | undefined;

/** The SDK loads on first use (~0.3 s with its dependencies): local runs never pay for it. */
async function loadSdk(): Promise<GcsSdk> {
  sdk ??= await import('@google-cloud/storage');
  return sdk;
}

export interface GcsClientOptions {
  /** Custom endpoint (emulator, stand-in); unset means the real Google Cloud Storage. */
  apiEndpoint?: string | undefined;
  projectId?: string | undefined;
  /** Explicit service-account credentials (URL signing with a key). */
  credentials?: { client_email: string; private_key: string } | undefined;
}

/**
 * No auth override is needed here: when `apiEndpoint` differs from the Google one, the v7
 * client marks it a custom endpoint and skips google-auth-library entirely (unless
 * `useAuthWithCustomEndpoint` is set), both for JSON API calls and for resumable uploads.
 */
export async function createStorageClient(options: GcsClientOptions = {}): Promise<Storage> {
  const { Storage } = await loadSdk();
  return new Storage({
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.projectId ? { projectId: options.projectId } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

/**
 * Streams an object into `localPath` (temp file + rename). The client checks the CRC32C the
 * server reports, so a truncated transfer fails instead of leaving a short file.
 */
export async function downloadToFile(file: File, localPath: string): Promise<void> {
  await streamToFileAtomic(file.createReadStream(), localPath);
}

/** The client reports a missing bucket or object as an ApiError with the HTTP status as `code`. */
export function isGcsNotFound(err: unknown): boolean {
  // Only a loaded SDK can have thrown one.
  return sdk !== undefined && err instanceof sdk.ApiError && err.code === 404;
}

import { PodpreviewError } from '@podpreview/shared';

/** A blob key that could climb out of the store's root, or is otherwise malformed: a bug. */
export class InvalidBlobKeyError extends PodpreviewError {
  constructor(key: string, reason: string) {
    super('invalid_blob_key', `invalid blob key ${JSON.stringify(key)}: ${reason}`, { retryable: false });
  }
}

/**
 * `get`/`getToFile` of a key nobody wrote: a lost or never-produced stage output. Retryable,
 * because an object store can answer "not found" for a moment after a write elsewhere.
 */
export class BlobNotFoundError extends PodpreviewError {
  constructor(
    readonly uri: string,
    cause?: unknown,
  ) {
    super('blob_not_found', `blob not found: ${uri}`, { retryable: true, cause });
  }
}

/** Another process held the local results database longer than we wait; retried later. */
export class DuckDbLockTimeoutError extends PodpreviewError {
  constructor(file: string, waitedMs: number, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('results_db_locked', `results database ${file} stayed locked by another process for ${(waitedMs / 1000).toFixed(1)} s; ${detail}`, {
      retryable: true,
      cause,
    });
  }
}

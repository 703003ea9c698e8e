import { PodpreviewError } from './podpreview.error.ts';

/** Redis could not be reached in time; the message names the URL (password masked) and the cause. */
export class RedisUnavailableError extends PodpreviewError {
  constructor(maskedUrl: string, waitedMs: number, cause?: unknown) {
    const why = cause instanceof Error ? cause.message : cause === undefined ? 'no answer' : String(cause);
    super('redis_unavailable', `cannot reach Redis at ${maskedUrl} within ${(waitedMs / 1000).toFixed(0)} s: ${why}`, { retryable: true, cause });
  }
}

/** A stage job ran past PODPREVIEW_STAGE_TIMEOUT_MS: its work was aborted and it is retried. */
export class StageTimeoutError extends PodpreviewError {
  constructor(stage: string, timeoutMs: number) {
    super('stage_timeout', `${stage} did not finish within ${(timeoutMs / 1000).toFixed(0)} s`, { retryable: true });
  }
}

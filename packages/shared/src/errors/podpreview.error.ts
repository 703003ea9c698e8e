/**
 * Base for errors the pipeline knows how to classify. `retryable: false` means retrying cannot
 * help (the input itself is bad): the job fails at once and the reason lands in the result row.
 */
export class PodpreviewError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable;
  }
}

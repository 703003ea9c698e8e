import { PodpreviewError } from './podpreview.error.ts';

/** An environment variable failed validation; the process stops with one message naming it. */
export class ConfigError extends PodpreviewError {
  constructor(detail: string) {
    super('invalid_config', `invalid configuration: ${detail}`, { retryable: false });
  }
}

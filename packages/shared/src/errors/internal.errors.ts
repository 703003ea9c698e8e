import { PodpreviewError } from './podpreview.error.ts';

/**
 * A stage produced a payload that breaks the next hop's contract: a bug in our own code, not
 * bad input. Retryable, so a fix deployed meanwhile (or a transient cause) gets its chance, and
 * recorded as `stage_output_invalid` when the attempts run out.
 */
export class StageOutputError extends PodpreviewError {
  constructor(from: string, to: string, detail: string) {
    super('stage_output_invalid', `${from} produced an invalid ${to} payload: ${detail}`, { retryable: true });
  }
}

/**
 * A JSON blob one stage wrote does not match what the reading stage expects (a version skew
 * between workers, or a bug). Retrying reads the same bytes, so it fails at once.
 */
export class BlobContractError extends PodpreviewError {
  constructor(key: string, detail: string) {
    super('blob_contract_violation', `blob ${key} does not match its contract: ${detail}`, { retryable: false });
  }
}

import { UnrecoverableError } from 'bullmq';
import type { PodpreviewError } from '@podpreview/shared';

/**
 * Bad input whose failure row the processor already wrote. BullMQ fails an unrecoverable error
 * at once (no retries); the `failed` listener recognises this class and writes nothing more.
 */
export class RejectedInputError extends UnrecoverableError {
  /** The failure row is written: the `failed` listener leaves it alone. */
  readonly recorded = true;
  readonly code: string;
  constructor(err: PodpreviewError) {
    super(`${err.code}: ${err.message}`);
    // BullMQ also recognises unrecoverable errors by name (across module copies).
    this.name = 'UnrecoverableError';
    this.code = err.code;
  }
}

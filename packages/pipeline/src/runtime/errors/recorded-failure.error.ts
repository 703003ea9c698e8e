import { UnrecoverableError } from 'bullmq';
import { errorCode } from '@podpreview/shared';

/**
 * A job's last attempt failed and the processor has already recorded the run's end (row, run
 * record, callbacks): BullMQ fails the job after that, so a worker that dies in between leaves
 * the run recorded, not lost. The `failed` listener recognises it and writes nothing more.
 */
export class RecordedFailureError extends UnrecoverableError {
  readonly recorded = true;
  readonly code: string;
  constructor(err: unknown) {
    const code = errorCode(err);
    super(`${code}: ${err instanceof Error ? err.message : String(err)}`);
    this.name = 'UnrecoverableError';
    this.code = code;
  }
}

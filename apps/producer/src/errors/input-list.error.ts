import { PodpreviewError } from '@podpreview/shared';

/** A CLI argument or manifest line that cannot become an enqueue request; nothing is enqueued. */
export class InputListError extends PodpreviewError {
  constructor(message: string) {
    super('invalid_input_list', message, { retryable: false });
  }
}

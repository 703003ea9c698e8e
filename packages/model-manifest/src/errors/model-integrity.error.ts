import { PodpreviewError } from '@podpreview/shared';

/** A weight file whose size or sha256 differs from the manifest: it is refused, never loaded. */
export class ModelIntegrityError extends PodpreviewError {
  constructor(message: string) {
    super('model_integrity', message, { retryable: false });
  }
}

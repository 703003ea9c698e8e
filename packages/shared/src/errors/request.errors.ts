import { PodpreviewError } from './podpreview.error.ts';

/**
 * A submission for an episode whose run is in flight asks for something else (another audio or
 * transcript, speech-to-text): joining that run would drop what it asked for. Refused (409); it
 * can be submitted again once the run has ended, or with `force`.
 */
export class RunInFlightDiffersError extends PodpreviewError {
  constructor(
    readonly runId: string,
    readonly fields: string[],
  ) {
    super('run_in_flight_differs', `the run in flight (${runId}) differs in ${fields.join(', ')}`, { retryable: false });
  }
}

/**
 * The states of a run, in one place: the result row's status, the run record's state in Redis
 * and what clients are told all derive from these lists.
 */

/** How a run ended: its result row's status. `cancelled`: a client cancelled it; workers stopped it at a stage boundary. */
export const RESULT_STATUSES = ['succeeded', 'failed', 'deduplicated', 'cancelled'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** A run record's state in Redis: `queued` from its submission until a worker records its end. */
export const RECORD_STATES = ['queued', ...RESULT_STATUSES] as const;
export type RecordState = (typeof RECORD_STATES)[number];

/** A run's state as clients see it: `running` once a stage has taken it. */
export const RUN_STATES = ['queued', 'running', ...RESULT_STATUSES] as const;
export type RunStateName = (typeof RUN_STATES)[number];

/** Whether a state is a run's end (a result row exists, or is on its way). */
export const isEnded = (state: string): state is ResultStatus => (RESULT_STATUSES as readonly string[]).includes(state);

/** The ends that answer for an episode with a preview. */
export const isAnswered = (state: string) => state === 'succeeded' || state === 'deduplicated';

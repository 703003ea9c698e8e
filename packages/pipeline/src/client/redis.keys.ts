/**
 * Every Redis key of ours (BullMQ builds its own queue keys from the stage registry), so the
 * key space one deployment uses under its prefix can be read off this file. Every per-episode
 * and per-run key expires (PODPREVIEW_RUN_STATE_TTL_MS): nothing grows without bound.
 */
const ns = (prefix: string) => `${prefix}:podpreview`;

/** The newest run id of an episode, for status look-ups by episode. */
export const latestRunKey = (prefix: string, episodeId: string) => `${ns(prefix)}:latest-run:${episodeId}`;

/** A run's state (queued, then its outcome), readable after BullMQ has trimmed its jobs. */
export const runStateKey = (prefix: string, runId: string) => `${ns(prefix)}:run:${runId}`;

/** Claim held by an episode's run from enqueue until its terminal row is written. */
export const inflightKey = (prefix: string, episodeId: string) => `${ns(prefix)}:inflight:${episodeId}`;

/** Result rows the results table could not take yet (it was down); written when it is back. */
export const deadLetterKey = (prefix: string) => `${ns(prefix)}:results-dead-letter`;

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

/** List: result rows on their way to an embedded results table, newest first (see runtime/results-spool.ts). */
export const resultsPendingKey = (prefix: string) => `${ns(prefix)}:results-pending`;

/** Channel: run ids whose rows the results table has just committed (a JSON array per message). */
export const resultsCommittedChannel = (prefix: string) => `${ns(prefix)}:results-committed`;

/** An episode's runs, scored by enqueue time (bounded by PODPREVIEW_RUNS_PER_EPISODE_MAX, expires with run state). */
export const episodeRunsKey = (prefix: string, episodeId: string) => `${ns(prefix)}:episode-runs:${episodeId}`;

/** Runs a client asked to cancel, scored by the request's time (bounded by PODPREVIEW_RUN_INDEX_MAX and the run-state TTL). */
export const cancelledRunsKey = (prefix: string) => `${ns(prefix)}:cancelled-runs`;

/** Channel: the id of each run a client asked to cancel, as the request is taken. */
export const cancelChannel = (prefix: string) => `${ns(prefix)}:cancel`;

/** Channel: the id of each run as it ends (its record says so from that moment): waiters wake instead of polling. */
export const runEndedChannel = (prefix: string) => `${ns(prefix)}:run-ended`;

/** Channel: the stage whose queue just took a priority job (the workers' priority lanes wake). */
export const urgentChannel = (prefix: string) => `${ns(prefix)}:urgent`;

/** Every run, scored by enqueue time, for listings (bounded by PODPREVIEW_RUN_INDEX_MAX and the run-state TTL). */
export const runIndexKey = (prefix: string) => `${ns(prefix)}:run-index`;

/** Completion callbacks a run owes (one per request that started or joined it); taken by the run's end. */
export const runCallbacksKey = (prefix: string, runId: string) => `${ns(prefix)}:run-callbacks:${runId}`;

/** The answer given to an Idempotency-Key of one credential (PODPREVIEW_IDEMPOTENCY_TTL_MS). */
export const idempotencyKey = (prefix: string, caller: string, key: string) => `${ns(prefix)}:idempotency:${caller}:${key}`;

/** Enqueue time up to which runs have been checked against the fallback deadline (PODPREVIEW_FALLBACK_AFTER_MS). */
export const fallbackSweepCursorKey = (prefix: string) => `${ns(prefix)}:fallback-sweep-cursor`;

/** Held by the one worker process sweeping for runs past the fallback deadline. */
export const fallbackSweepLockKey = (prefix: string) => `${ns(prefix)}:fallback-sweep-lock`;

/** Prefix of the API's per-credential request counters (rate-limit-redis; each expires with its one-minute window). */
export const rateLimitKeyPrefix = (prefix: string) => `${ns(prefix)}:rate-limit:`;

/** The overview charts' minute points, scored by minute (bounded by PODPREVIEW_DASHBOARD_SERIES_MAX_POINTS). */
export const dashboardSeriesKey = (prefix: string) => `${ns(prefix)}:dashboard-series`;

/** The queue completion callbacks are delivered from (BullMQ keys under the queue prefix). */
export const CALLBACK_QUEUE = 'callbacks';

/** Runs in flight of one credential that do one kind of expensive work (`web` inputs, `transcribe`), bounded at submit. */
export const inFlightKey = (prefix: string, kind: string, credential: string) => `${ns(prefix)}:in-flight:${kind}:${credential}`;

/** Held by the one worker process sweeping these stages' failed jobs for runs without a record of their end. */
export const failedSweepLockKey = (prefix: string, stages: readonly string[]) => `${ns(prefix)}:failed-sweep-lock:${stages.join(',')}`;

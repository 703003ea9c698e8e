/**
 * Every Redis key of ours (BullMQ builds its own queue keys from the stage registry), so the
 * key space one deployment uses under its prefix can be read off this file.
 */
const ns = (prefix: string) => `${prefix}:podpreview`;

/** Hash of episode id → its newest run id, for status look-ups by episode. */
export const latestRunKey = (prefix: string) => `${ns(prefix)}:latest-run`;

/** Claim held by an episode's run from enqueue until its terminal row is written. */
export const inflightKey = (prefix: string, episodeId: string) => `${ns(prefix)}:inflight:${episodeId}`;

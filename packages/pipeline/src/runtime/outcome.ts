import type { ResultRow, StageInput, StageName } from '@podpreview/shared';

/** What a terminal stage decides; the runtime adds ids, timings and timestamps. */
export type TerminalFields = Pick<
  ResultRow,
  'status' | 'contentHash' | 'previewStartSec' | 'previewEndSec' | 'durationSec' | 'speechFraction' | 'score' | 'path' | 'clipKey' | 'models' | 'modelStats'
>;

export type StageOutcome =
  /** Hand the episode to the next stage in the registry with this payload. */
  | { kind: 'next'; payload: Record<string, unknown> & { timingsMs: Record<string, number> } }
  /** The run ends here (sink, or a duplicate found early). */
  | { kind: 'done'; result: TerminalFields };

/**
 * A stage function: parsed input in, outcome out. It never sees a BullMQ job, so it can be
 * tested, benchmarked or run in-process without Redis.
 */
export type StageHandler<S extends StageName> = (input: StageInput<S>) => Promise<StageOutcome>;
export type StageHandlers = { [S in StageName]: StageHandler<S> };

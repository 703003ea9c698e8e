import type { NextStage, ResultRow, StageInput, StageName } from '@podpreview/shared';

/** What a terminal stage decides; the runtime adds ids, timings and timestamps. */
export type TerminalFields = Pick<
  ResultRow,
  'status' | 'contentHash' | 'previewStartSec' | 'previewEndSec' | 'durationSec' | 'speechFraction' | 'score' | 'path' | 'clipKey' | 'models' | 'modelStats'
>;

/** The run ends here (sink, or a duplicate found early). */
export type DoneOutcome = { kind: 'done'; result: TerminalFields };

/**
 * What stage `S` decides: hand the episode on with the input of the stage the registry names
 * as next (so a stage's output is typed by the next stage's input; the runtime fills in the
 * timings), or end the run. The last stage can only end it.
 */
export type StageOutcome<S extends StageName> =
  NextStage<S> extends StageName ? { kind: 'next'; payload: Omit<StageInput<NextStage<S>>, 'timingsMs'> } | DoneOutcome : DoneOutcome;

/** What the runtime gives a stage besides its input. */
export interface StageContext {
  /** Fires when the stage has run past its timeout: pass it to child processes and fetches. */
  signal: AbortSignal;
  /** Which attempt at the job this is, from 1 (retries of a transient failure count up). */
  attempt?: number;
}

/**
 * A stage function: parsed input in, outcome out. It never sees a BullMQ job, so it can be
 * tested, benchmarked or run in-process without Redis.
 */
export type StageHandler<S extends StageName> = (input: StageInput<S>, context: StageContext) => Promise<StageOutcome<S>>;
export type StageHandlers = { [S in StageName]: StageHandler<S> };

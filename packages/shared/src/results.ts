import type { ModelRef, ModelStats, SelectionPath } from './contracts.ts';
import type { StageName } from './stages.ts';
import type { ResultStatus } from './run-states.ts';
import type { VariantName } from './variants.ts';

/**
 * One row per pipeline run (a run is one enqueue of one episode). Failures are rows too, so the
 * table answers "what happened to episode X" whatever happened. Same schema in DuckDB and BigQuery.
 */
export interface ResultRow {
  runId: string;
  episodeId: string;
  contentHash: string | null;
  status: ResultStatus;
  previewStartSec: number | null;
  previewEndSec: number | null;
  durationSec: number | null;
  speechFraction: number | null;
  score: number | null;
  /** Which selection path ran: with a transcript, or from the audio alone. */
  path: SelectionPath | null;
  clipKey: string | null;
  failedStage: StageName | null;
  errorClass: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  stageTimingsMs: Partial<Record<StageName, number>>;
  models: ModelRef[];
  /** Inference calls, items and time per model for this run. */
  modelStats: ModelStats | null;
  enqueuedAtMs: number;
  finishedAtMs: number;
  latencyMs: number;
  /** Fingerprint of the code and installed packages that ended the run (see buildInfo). */
  build: string | null;
  /** The variant that ran it (PODPREVIEW_VARIANT), so variants sharing a table are told apart; rows from before the column: production. */
  variant: VariantName;
  /** The API credential that started the run (PODPREVIEW_API_TENANCY); null for runs from the command line and rows from before the column. */
  owner?: string | null;
}

export interface ResultsSink {
  /** Insert or replace the row for `row.runId`. */
  write(row: ResultRow): Promise<void>;
  /** Newest row for an episode, by finishedAtMs; of these variants only, when given. */
  latestForEpisode(episodeId: string, variants?: readonly VariantName[]): Promise<ResultRow | undefined>;
  /** A succeeded run of this episode with this decoded-audio hash, if any (dedup); of these variants only, when given. */
  findSucceeded(episodeId: string, contentHash: string, variants?: readonly VariantName[]): Promise<ResultRow | undefined>;
  forRun(runId: string): Promise<ResultRow | undefined>;
  /** Runs that finished at or after `sinceMs`, newest first, at most `limit` (the dashboard's last hour). */
  finishedSince(sinceMs: number, limit: number): Promise<ResultRow[]>;
  /**
   * Loads what its first operation needs (a library), so that operation does not wait for it:
   * for a process to call when it has a moment (a worker during its first episode's decode).
   */
  prepare?(): void;
  close(): Promise<void>;
}

/**
 * Rows waiting for the table where every process can add to them (a Redis list), handed to
 * whichever process holds the table: see SessionResultsSink.
 */
export interface ResultRowSource {
  /** False once nothing waits for this process any more: the table is then not opened at all. */
  wanted(): boolean;
  /** The oldest waiting rows, none when none wait. */
  take(): Promise<readonly ResultRow[]>;
  /** The rows `take` gave are committed: drop them from the waiting rows and tell their writers. */
  committed(rows: readonly ResultRow[]): Promise<void>;
}

/**
 * A results table one process at a time holds (an embedded file): rather than each process
 * opening it for its own few rows, the process that has it writes everyone's waiting rows,
 * batch after batch, in one session. Resolves with how many rows it wrote (0: not opened).
 */
export interface SessionResultsSink extends ResultsSink {
  writeFrom(source: ResultRowSource): Promise<number>;
}

export const takesSessions = (sink: ResultsSink): sink is SessionResultsSink => typeof (sink as Partial<SessionResultsSink>).writeFrom === 'function';

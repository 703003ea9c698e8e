import type { ResultRow } from '@podpreview/shared';

/**
 * The one mapping between ResultRow fields and table columns, shared by the DuckDB and the
 * BigQuery sinks so both tables have the same columns. `satisfies Record<keyof ResultRow, …>`
 * makes a new ResultRow field a compile error here until it gets a column.
 *
 * Kinds: `text` strings; `int` whole numbers (times in ms); `float` seconds, fractions, scores;
 * `json` objects stored as JSON text (portable, and nobody filters on their inside).
 */
export type ColumnKind = 'text' | 'int' | 'float' | 'json';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  /** NOT NULL / REQUIRED. */
  readonly required: boolean;
  /** Read in place of NULL: the value of rows written before the column was added (migrations add it nullable). */
  readonly default?: string;
}

const COLUMNS = {
  runId: { name: 'run_id', kind: 'text', required: true },
  episodeId: { name: 'episode_id', kind: 'text', required: true },
  contentHash: { name: 'content_hash', kind: 'text', required: false },
  status: { name: 'status', kind: 'text', required: true },
  previewStartSec: { name: 'preview_start_sec', kind: 'float', required: false },
  previewEndSec: { name: 'preview_end_sec', kind: 'float', required: false },
  durationSec: { name: 'duration_sec', kind: 'float', required: false },
  speechFraction: { name: 'speech_fraction', kind: 'float', required: false },
  score: { name: 'score', kind: 'float', required: false },
  path: { name: 'path', kind: 'text', required: false },
  clipKey: { name: 'clip_key', kind: 'text', required: false },
  failedStage: { name: 'failed_stage', kind: 'text', required: false },
  errorClass: { name: 'error_class', kind: 'text', required: false },
  errorCode: { name: 'error_code', kind: 'text', required: false },
  errorMessage: { name: 'error_message', kind: 'text', required: false },
  stageTimingsMs: { name: 'stage_timings_ms', kind: 'json', required: true },
  models: { name: 'models', kind: 'json', required: true },
  modelStats: { name: 'model_stats', kind: 'json', required: false },
  enqueuedAtMs: { name: 'enqueued_at_ms', kind: 'int', required: true },
  finishedAtMs: { name: 'finished_at_ms', kind: 'int', required: true },
  latencyMs: { name: 'latency_ms', kind: 'int', required: true },
  build: { name: 'build', kind: 'text', required: false },
  variant: { name: 'variant', kind: 'text', required: false, default: 'production' },
  owner: { name: 'owner', kind: 'text', required: false },
} as const satisfies Record<keyof ResultRow, ColumnSpec>;

type Field = keyof typeof COLUMNS;

/** Columns in table order. */
export const RESULT_COLUMNS: readonly (ColumnSpec & { field: Field })[] = (Object.keys(COLUMNS) as Field[]).map((field) => ({
  field,
  ...COLUMNS[field],
}));

/** The column names, comma-separated, in table order (SQL's column lists). */
export const COLUMN_LIST = RESULT_COLUMNS.map((c) => c.name).join(', ');

export type ColumnValue = string | number | null;
/** A row keyed by column name, in the plain types both databases accept. */
export type ColumnRecord = Record<string, ColumnValue>;

export function rowToColumns(row: ResultRow): ColumnRecord {
  const record: ColumnRecord = {};
  for (const { field, name, kind } of RESULT_COLUMNS) {
    const value = row[field];
    if (kind === 'json') record[name] = value === null || value === undefined ? null : JSON.stringify(value);
    // BIGINT/INT64 reject fractions; a latency computed from performance.now() may have one.
    else if (kind === 'int') record[name] = Math.round(value as number);
    else record[name] = (value ?? null) as ColumnValue;
  }
  return record;
}

/** Accepts what the drivers hand back: BIGINT as bigint (DuckDB), INT64 as number or string. */
export function rowFromColumns(record: Record<string, unknown>): ResultRow {
  const row: Record<string, unknown> = {};
  for (const column of RESULT_COLUMNS) {
    const { field, name, kind } = column;
    const value = record[name];
    if (value === null || value === undefined) row[field] = 'default' in column ? column.default : null;
    else if (kind === 'json') row[field] = JSON.parse(String(value));
    else if (kind === 'int' || kind === 'float') row[field] = Number(value);
    else row[field] = String(value);
  }
  return row as unknown as ResultRow;
}

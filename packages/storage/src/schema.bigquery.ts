import type { TableField, TableMetadata } from '@google-cloud/bigquery';
import { RESULT_COLUMNS, type ColumnKind } from './results.columns.ts';

const BQ_TYPES: Record<ColumnKind, string> = { text: 'STRING', int: 'INT64', float: 'FLOAT64', json: 'STRING' };

/** The `previews` table in BigQuery: the same columns as the DuckDB table, from results.columns.ts. */
export const PREVIEWS_SCHEMA: TableField[] = RESULT_COLUMNS.map((c) => ({
  name: c.name,
  type: BQ_TYPES[c.kind],
  mode: c.required ? 'REQUIRED' : 'NULLABLE',
}));

/**
 * Clustering by episode keeps the per-episode lookups (latest, dedup) from scanning the whole
 * table as it grows. No partitioning: the reads are by episode or run, not by time.
 */
export const PREVIEWS_TABLE_METADATA: TableMetadata = {
  schema: { fields: PREVIEWS_SCHEMA },
  clustering: { fields: ['episode_id'] },
  description: 'podpreview: one row per pipeline run (append-only; newest row per run_id wins)',
};

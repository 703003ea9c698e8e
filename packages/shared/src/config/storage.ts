import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { type EnvOf, flag, int, type LoadContext, setting } from './setting.ts';

/** Where blobs and result rows go: the local directory and DuckDB, or GCS and BigQuery. */
export const storageSettings = {
  PODPREVIEW_DATA_DIR: setting(z.string().min(1).default('.data'), 'local blob store (`blobs/`) and results database (`results.duckdb`)'),
  PODPREVIEW_STORAGE: setting(z.enum(['local', 'gcs']).default('local'), '`local` (filesystem under the data dir) or `gcs`'),
  PODPREVIEW_GCS_BUCKET: setting(z.string().optional(), 'bucket for `PODPREVIEW_STORAGE=gcs` (required then)'),
  PODPREVIEW_GCS_API_ENDPOINT: setting(z.url().optional(), 'custom GCS endpoint (emulators, tests); unauthenticated'),
  PODPREVIEW_SINK: setting(z.enum(['local', 'bigquery']).default('local'), 'results table: `local` (DuckDB) or `bigquery`'),
  PODPREVIEW_GCP_PROJECT: setting(z.string().optional(), 'Google Cloud project for GCS and BigQuery'),
  PODPREVIEW_BQ_DATASET: setting(z.string().regex(/^\w+$/).default('podpreview'), 'BigQuery dataset'),
  PODPREVIEW_BQ_TABLE: setting(z.string().regex(/^\w+$/).default('previews'), 'BigQuery table'),
  PODPREVIEW_BQ_API_ENDPOINT: setting(z.url().optional(), 'custom BigQuery endpoint (tests)'),
  PODPREVIEW_KEEP_INTERMEDIATE_BLOBS: setting(
    flag(false),
    '`true` keeps decoded PCM, tracks, transcript and sentences after a run ends (debugging); by default only the clip and `selection.json` stay',
  ),
  PODPREVIEW_DEAD_LETTER_RETRY_MS: setting(int(10_000, 100), 'result rows the results table refused wait in Redis and are retried this often'),
  PODPREVIEW_DEAD_LETTER_MAX: setting(int(100_000, 1), 'bound on rows waiting so; past it the oldest are dropped with an error log'),
};

export interface StorageConfig {
  dataDir: string;
  storage: { kind: 'local' } | { kind: 'gcs'; bucket: string; apiEndpoint: string | undefined; projectId: string | undefined };
  sink:
    | { kind: 'local'; dbPath: string }
    | { kind: 'bigquery'; dataset: string; table: string; apiEndpoint: string | undefined; projectId: string | undefined };
  /** Google Cloud project, for the trace field of log lines (Cloud Logging links them to the trace). */
  gcpProject: string | undefined;
  /** Keep decoded PCM, tracks and other intermediates after a run ends (debugging only). */
  keepIntermediateBlobs: boolean;
  /** Result rows the results table refused are retried from Redis this often, and at most this many kept. */
  deadLetterRetryMs: number;
  deadLetterMax: number;
}

export function storageConfig(e: EnvOf<typeof storageSettings>, { cwd }: LoadContext): StorageConfig {
  const dataDir = path.resolve(cwd, e.PODPREVIEW_DATA_DIR);
  let storage: StorageConfig['storage'] = { kind: 'local' };
  if (e.PODPREVIEW_STORAGE === 'gcs') {
    if (!e.PODPREVIEW_GCS_BUCKET) throw new ConfigError('PODPREVIEW_GCS_BUCKET: required when PODPREVIEW_STORAGE=gcs');
    storage = { kind: 'gcs', bucket: e.PODPREVIEW_GCS_BUCKET, apiEndpoint: e.PODPREVIEW_GCS_API_ENDPOINT, projectId: e.PODPREVIEW_GCP_PROJECT };
  }
  return {
    dataDir,
    storage,
    sink:
      e.PODPREVIEW_SINK === 'bigquery'
        ? {
            kind: 'bigquery',
            dataset: e.PODPREVIEW_BQ_DATASET,
            table: e.PODPREVIEW_BQ_TABLE,
            apiEndpoint: e.PODPREVIEW_BQ_API_ENDPOINT,
            projectId: e.PODPREVIEW_GCP_PROJECT,
          }
        : { kind: 'local', dbPath: path.join(dataDir, 'results.duckdb') },
    gcpProject: e.PODPREVIEW_GCP_PROJECT,
    keepIntermediateBlobs: e.PODPREVIEW_KEEP_INTERMEDIATE_BLOBS === 'true',
    deadLetterRetryMs: e.PODPREVIEW_DEAD_LETTER_RETRY_MS,
    deadLetterMax: e.PODPREVIEW_DEAD_LETTER_MAX,
  };
}

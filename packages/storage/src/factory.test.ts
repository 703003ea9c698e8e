import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@podpreview/shared';
import { GcsBlobStore } from './blob.gcs.ts';
import { LocalBlobStore } from './blob.local.ts';
import { createBlobStore, createResultsSink } from './factory.ts';
import { BigQueryResultsSink } from './results.bigquery.ts';
import { DuckDbResultsSink } from './results.duckdb.ts';

const cwd = '/srv/podpreview';

describe('factory', () => {
  it('local config: blobs under <dataDir>/blobs, results in the DuckDB file', () => {
    const config = loadConfig({ PODPREVIEW_DATA_DIR: 'state' }, cwd);
    const store = createBlobStore(config);
    expect(store).toBeInstanceOf(LocalBlobStore);
    expect((store as LocalBlobStore).rootDir).toBe(path.join(cwd, 'state', 'blobs'));
    const sink = createResultsSink(config);
    expect(sink).toBeInstanceOf(DuckDbResultsSink);
    expect((sink as DuckDbResultsSink).dbPath).toBe(path.join(cwd, 'state', 'results.duckdb'));
  });

  it('cloud config: GCS bucket and BigQuery table', () => {
    const config = loadConfig(
      {
        PODPREVIEW_STORAGE: 'gcs',
        PODPREVIEW_GCS_BUCKET: 'pp-blobs',
        PODPREVIEW_GCS_API_ENDPOINT: 'http://127.0.0.1:1',
        PODPREVIEW_SINK: 'bigquery',
        PODPREVIEW_GCP_PROJECT: 'pp-project',
        PODPREVIEW_BQ_API_ENDPOINT: 'http://127.0.0.1:1',
      },
      cwd,
    );
    const store = createBlobStore(config);
    expect(store).toBeInstanceOf(GcsBlobStore);
    expect(store.uri('a/b')).toBe('gs://pp-blobs/a/b');
    expect(createResultsSink(config)).toBeInstanceOf(BigQueryResultsSink);
  });
});

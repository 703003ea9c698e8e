import path from 'node:path';
import type { BlobStore, Config, ResultsSink } from '@podpreview/shared';
import { GcsBlobStore } from './blob.gcs.ts';
import { LocalBlobStore } from './blob.local.ts';
import { BigQueryResultsSink } from './results.bigquery.ts';
import { DuckDbResultsSink } from './results.duckdb.ts';

/** The one place that maps configuration to a storage backend. */
export function createBlobStore(config: Config): BlobStore {
  const storage = config.storage;
  switch (storage.kind) {
    case 'local':
      return new LocalBlobStore(path.join(config.dataDir, 'blobs'));
    case 'gcs':
      return new GcsBlobStore({ bucket: storage.bucket, apiEndpoint: storage.apiEndpoint, projectId: storage.projectId });
    default:
      return assertNever(storage);
  }
}

export function createResultsSink(config: Config): ResultsSink {
  const sink = config.sink;
  switch (sink.kind) {
    case 'local':
      return new DuckDbResultsSink(sink.dbPath);
    case 'bigquery':
      return new BigQueryResultsSink({ projectId: sink.projectId, dataset: sink.dataset, table: sink.table, apiEndpoint: sink.apiEndpoint });
    default:
      return assertNever(sink);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown storage configuration ${JSON.stringify(value)}`);
}

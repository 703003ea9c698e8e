/**
 * Test helpers: in-memory HTTP stand-ins for the Google APIs the storage adapters call, so
 * the adapters run with their real client libraries and no credentials (not emulators: each
 * implements only the calls listed at its top), and complete result rows.
 */
export { startGcsStandin, type GcsStandin } from './gcs.standin.ts';
export { startBigQueryStandin, type BigQueryStandin } from './bigquery.standin.ts';
export type { StandinServer } from './http.standin.ts';
export { failedRow, succeededRow, T0 } from '../results.fixtures.ts';

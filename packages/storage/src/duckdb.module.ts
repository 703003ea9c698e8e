import type * as DuckDb from '@duckdb/node-api';

let loading: Promise<typeof DuckDb> | undefined;

/**
 * `@duckdb/node-api`, imported at the first session (or a sink's prepare()) rather than with
 * this package: loading its native binding takes ~50 ms of the thread that imports it, and a CLI
 * run would pay that before its first episode's decode could start, though its first result
 * row comes seconds later.
 */
export function duckDb(): Promise<typeof DuckDb> {
  loading ??= import('@duckdb/node-api');
  return loading;
}

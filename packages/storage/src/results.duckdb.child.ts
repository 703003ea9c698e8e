/**
 * A second process for results.duckdb.test.ts (run with `node --import tsx`):
 *   write <dbPath> <runPrefix> <count>   writes rows through its own DuckDbResultsSink
 *   hold  <dbPath> <ms>                  keeps the file open (and locked) for a while
 * Prints `ready` when it starts working, and a JSON summary when done.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { succeededRow } from './results.fixtures.ts';
import { DuckDbResultsSink } from './results.duckdb.ts';

const [mode, dbPath, ...args] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: write|hold <dbPath> …');

if (mode === 'write') {
  const [prefix, count] = [args[0] ?? 'child', Number(args[1] ?? 10)];
  const sink = new DuckDbResultsSink(dbPath);
  console.log('ready');
  const startedAtMs = Date.now();
  for (let i = 0; i < count; i++) await sink.write(succeededRow({ runId: `${prefix}-${i}`, episodeId: 'ep-shared' }));
  await sink.close();
  console.log(JSON.stringify({ startedAtMs, endedAtMs: Date.now() }));
} else if (mode === 'hold') {
  await mkdir(path.dirname(dbPath), { recursive: true });
  const instance = await DuckDBInstance.create(dbPath);
  console.log('ready');
  await new Promise((resolve) => setTimeout(resolve, Number(args[0] ?? 1000)));
  instance.closeSync();
  console.log(JSON.stringify({ releasedAtMs: Date.now() }));
} else {
  throw new Error(`unknown mode ${mode}`);
}

import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckDb } from './duckdb.module.ts';
import { DuckDbLockTimeoutError } from './errors/storage.errors.ts';

/**
 * DuckDB lets one process at a time open a database file read-write (an OS file lock), yet
 * several processes share the results file: a worker per stage and the HTTP producer. So
 * nobody keeps it open: each operation opens the file, runs, and closes, which releases the
 * lock at once, and an open that finds the lock held by another process waits and retries
 * with a growing delay, up to `lockTimeoutMs`.
 *
 * Within one process the lock does not protect anything (a second DuckDBInstance on the same
 * file in the same process opens happily, and two would corrupt each other), so operations
 * on one file are queued here, across all sink instances of the process.
 */
export interface DuckDbSessionOptions {
  /** Give up waiting for another process's lock after this long. @defaultValue 20 000 */
  lockTimeoutMs?: number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 20_000;
const FIRST_RETRY_DELAY_MS = 5;
const MAX_RETRY_DELAY_MS = 200;

/** Runs `work` in one transaction on `conn`: committed if it succeeds, rolled back if it throws. */
export async function inTransaction<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await conn.run('COMMIT');
    return result;
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Tail of the operation queue per resolved file path. */
const queues = new Map<string, Promise<unknown>>();

export function withDuckDb<T>(dbPath: string, work: (conn: DuckDBConnection) => Promise<T>, options: DuckDbSessionOptions = {}): Promise<T> {
  return queued(dbPath, () => openRunClose(path.resolve(dbPath), work, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, () => true)).then((r) => r as T);
}

/**
 * As withDuckDb, for work that may become pointless while it waits its turn or for the lock
 * (another process did it meanwhile): `wanted` is asked before each open attempt, and once it
 * says no, the file is not opened and the answer is undefined.
 */
export function withDuckDbIfWanted<T>(
  dbPath: string,
  work: (conn: DuckDBConnection) => Promise<T>,
  wanted: () => boolean,
  options: DuckDbSessionOptions = {},
): Promise<T | undefined> {
  return queued(dbPath, () => openRunClose(path.resolve(dbPath), work, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, wanted));
}

function queued<T>(dbPath: string, op: () => Promise<T>): Promise<T> {
  const file = path.resolve(dbPath);
  const previous = queues.get(file) ?? Promise.resolve();
  const result = previous.then(op);
  const tail = result.catch(() => undefined);
  queues.set(file, tail);
  // Drop the entry once idle, so the map does not grow with every file ever touched.
  void tail.then(() => {
    if (queues.get(file) === tail) queues.delete(file);
  });
  return result;
}

async function openRunClose<T>(
  file: string,
  work: (conn: DuckDBConnection) => Promise<T>,
  lockTimeoutMs: number,
  wanted: () => boolean,
): Promise<T | undefined> {
  if (!wanted()) return undefined;
  await mkdir(path.dirname(file), { recursive: true });
  const instance = await openWithRetry(file, lockTimeoutMs, wanted);
  if (!instance) return undefined;
  try {
    const conn = await instance.connect();
    try {
      const result = await work(conn);
      // Closing checkpoints the WAL, synchronously on this thread (10-35 ms with the event loop
      // stopped); checkpointed here first, off the thread, the close has little left to do.
      // A failure here leaves it to the close.
      await conn.run('CHECKPOINT').catch(() => undefined);
      return result;
    } finally {
      conn.closeSync();
    }
  } finally {
    // Closing the instance is what releases the file lock (and checkpoints the WAL).
    instance.closeSync();
  }
}

async function openWithRetry(file: string, lockTimeoutMs: number, wanted: () => boolean): Promise<DuckDBInstance | undefined> {
  const deadline = Date.now() + lockTimeoutMs;
  let delayMs = FIRST_RETRY_DELAY_MS;
  const { DuckDBInstance } = await duckDb();
  for (;;) {
    try {
      return await DuckDBInstance.create(file, { threads: '1' });
    } catch (err) {
      if (!isLockConflict(err) && !(await isBeingCreated(err, file))) throw err;
      if (Date.now() >= deadline) {
        throw new DuckDbLockTimeoutError(file, lockTimeoutMs, err);
      }
      // Jitter keeps several waiting processes from retrying in lockstep.
      await sleep(Math.min(delayMs * (0.5 + Math.random()), Math.max(0, deadline - Date.now())));
      delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
      if (!wanted()) return undefined;
    }
  }
}

/**
 * Another process is creating the file this moment: DuckDB reads the header of a file that
 * exists before it asks for the lock, so a second process opening a file the first has only
 * just made finds no header yet ("not a valid DuckDB database file"). A file still shorter than
 * DuckDB's headers and modified within the last seconds is taken for that; any other invalid
 * file is an error at once.
 */
async function isBeingCreated(err: unknown, file: string): Promise<boolean> {
  if (!(err instanceof Error && /not a valid DuckDB database file/i.test(err.message))) return false;
  const s = await stat(file).catch(() => undefined);
  return s !== undefined && s.size < DUCKDB_HEADERS_BYTES && Date.now() - s.mtimeMs < CREATION_WINDOW_MS;
}

/** DuckDB's file header and its two database headers, 4 KiB each. */
const DUCKDB_HEADERS_BYTES = 3 * 4096;
/** How recently a too-short file must have changed to be taken for one being created. */
const CREATION_WINDOW_MS = 2000;

/** DuckDB reports it as `IO Error: Could not set lock on file "…": Conflicting lock is held in … (PID n)`. */
function isLockConflict(err: unknown): boolean {
  return err instanceof Error && /could not set lock on file|conflicting lock/i.test(err.message);
}

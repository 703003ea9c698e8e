import type { DuckDBConnection } from '@duckdb/node-api';
import { duckDb } from './duckdb.module.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultRow, ResultRowSource, SessionResultsSink, VariantName } from '@podpreview/shared';
import { COLUMN_LIST, RESULT_COLUMNS, rowFromColumns, type ColumnKind, type ColumnSpec } from './results.columns.ts';
import { ResultRowInserter } from './results.duckdb.insert.ts';
import { inTransaction, withDuckDbIfWanted, type DuckDbSessionOptions } from './duckdb.session.ts';

const TABLE = 'previews';

const SQL_TYPES: Record<ColumnKind, string> = { text: 'VARCHAR', int: 'BIGINT', float: 'DOUBLE', json: 'VARCHAR' };

/** A column's type, and the value older rows get when a migration adds it (single quotes: plain words only). */
const columnType = (c: ColumnSpec) => `${SQL_TYPES[c.kind]}${c.default === undefined ? '' : ` DEFAULT '${c.default}'`}`;

/**
 * No primary key: with one, a session that writes a row cost CPU in proportion to the table (the
 * key's index; measured here 44 ms at 1,000 rows, 92 ms at 30,000, 180 ms at 200,000), and
 * without, 40-50 ms at all three. A run keeps one row all the same: the inserter deletes a run's
 * row before writing it again.
 */
const createTable = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  ${RESULT_COLUMNS.map((c) => `${c.name} ${columnType(c)}${c.required ? ' NOT NULL' : ''}`).join(',\n  ')}
)`;
const CREATE_TABLE = createTable(TABLE);

// Columns added after a table was first created: nullable, so old rows stay valid (`variant`:
// the rows of a file from before variants are production's).
const MIGRATIONS = RESULT_COLUMNS.filter((c) => !c.required).map((c) => `ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS ${c.name} ${columnType(c)}`);

/** Rows of these variants only (old rows, NULL, are production's): a condition and its parameter. */
function ofVariants(variants: readonly VariantName[] | undefined): { where: string; params: Record<string, string> } {
  if (!variants) return { where: '', params: {} };
  return { where: ` AND list_contains(string_split($variants, ','), coalesce(variant, 'production'))`, params: { variants: variants.join(',') } };
}

/** How long a busy writer keeps the file before letting other processes have it. */
const HOLD_OPEN_MS = 50;
/**
 * How long a session writing every process's rows (writeFrom) may keep the file: longer than a
 * writer's own session, since it serves all writers, short enough for a reader's wait.
 */
const SHARED_HOLD_MS = 200;
/**
 * A shared session that finds no rows waiting looks again every LINGER_MS until none came for
 * LINGER_IDLE_MS: the writers answered a moment ago hand in their next rows within a few Redis
 * round trips, and reopening the file costs far more than the wait.
 */
const LINGER_MS = 2;
const LINGER_IDLE_MS = 20;

// Ties on finished_at_ms are broken by run_id so every reader gets the same answer.
const NEWEST = 'ORDER BY finished_at_ms DESC, run_id DESC LIMIT 1';

interface WaitingRow {
  row: ResultRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Results in an embedded DuckDB file: the default for one machine, no server to run. The file
 * is opened per operation (see duckdb.session.ts), since several processes share it.
 */
export class DuckDbResultsSink implements SessionResultsSink {
  readonly dbPath: string;
  private readonly session: DuckDbSessionOptions;
  private closed = false;
  private migrated = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly waiting: WaitingRow[] = [];
  private flushing = false;

  constructor(dbPath: string, options: DuckDbSessionOptions = {}) {
    this.dbPath = dbPath;
    this.session = options;
  }

  /**
   * Rows written while the file is busy (this process's previous operation, or another
   * process's lock) wait together and go in as one transaction when it is free: one open and
   * one commit for many rows, so several workers writing at once are not capped by the
   * per-operation open/close. Each call still resolves only once its row is committed.
   */
  write(row: ResultRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
  }

  /**
   * Writes waiting rows, batch after batch, until none wait. While rows keep coming the file
   * stays open for up to HOLD_OPEN_MS (each batch committed and answered as it goes), so a busy
   * process pays one open and one checkpoint for several batches; then it closes, which lets
   * the other processes in.
   */
  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      // Taken when the session starts, not now: rows arriving meanwhile join this batch.
      let batch: WaitingRow[] = [];
      try {
        await this.writeSession(async (insert) => {
          const until = performance.now() + HOLD_OPEN_MS;
          do {
            batch = this.waiting.splice(0);
            await insert(batch.map((w) => w.row));
            for (const w of batch) w.resolve();
            batch = [];
            // Lets the callers just answered hand in their next rows.
            await new Promise((r) => setImmediate(r));
          } while (this.waiting.length > 0 && performance.now() < until);
        });
      } catch (err) {
        // A failed open (lock timeout, closed sink) took no rows yet: those fail with it.
        if (batch.length === 0) batch = this.waiting.splice(0);
        for (const w of batch) w.reject(err);
      }
    }
    this.flushing = false;
  }

  /**
   * One session for rows every process adds to (see SessionResultsSink): batches taken from
   * `source`, each committed and reported before the next, for up to HOLD_OPEN_MS while rows
   * keep coming. The file is not opened once `source` no longer wants it (another process
   * wrote its rows while this one waited for the lock).
   */
  async writeFrom(source: ResultRowSource): Promise<number> {
    const written = await this.writeSession(async (insert) => {
      const until = performance.now() + SHARED_HOLD_MS;
      let n = 0;
      let lastRowsAt = performance.now();
      while (performance.now() < until) {
        const rows = await source.take();
        if (rows.length === 0) {
          if (performance.now() - lastRowsAt > LINGER_IDLE_MS) break;
          await sleep(LINGER_MS);
          continue;
        }
        lastRowsAt = performance.now();
        await insert(rows);
        await source.committed(rows);
        n += rows.length;
      }
      return n;
    }, source.wanted);
    return written ?? 0;
  }

  latestForEpisode(episodeId: string, variants?: readonly VariantName[]): Promise<ResultRow | undefined> {
    const v = ofVariants(variants);
    return this.selectOne(`WHERE episode_id = $episode_id${v.where} ${NEWEST}`, { episode_id: episodeId, ...v.params });
  }

  findSucceeded(episodeId: string, contentHash: string, variants?: readonly VariantName[]): Promise<ResultRow | undefined> {
    const v = ofVariants(variants);
    return this.selectOne(`WHERE episode_id = $episode_id AND content_hash = $content_hash AND status = 'succeeded'${v.where} ${NEWEST}`, {
      episode_id: episodeId,
      content_hash: contentHash,
      ...v.params,
    });
  }

  forRun(runId: string): Promise<ResultRow | undefined> {
    return this.selectOne('WHERE run_id = $run_id', { run_id: runId });
  }

  async finishedSince(sinceMs: number, limit: number): Promise<ResultRow[]> {
    const { BIGINT } = await duckDb();
    const rows = await this.run(async (conn) => {
      const reader = await conn.runAndReadAll(
        `SELECT ${COLUMN_LIST} FROM ${TABLE} WHERE finished_at_ms >= $since ORDER BY finished_at_ms DESC, run_id DESC LIMIT $limit`,
        { since: Math.floor(sinceMs), limit: Math.max(0, Math.floor(limit)) },
        { since: BIGINT, limit: BIGINT },
      );
      return reader.getRowObjectsJS();
    });
    return rows.map(rowFromColumns);
  }

  /** Its SDK (~50 ms of the thread that loads it); a failure to load shows in the first session. */
  prepare(): void {
    duckDb().catch(() => {});
  }

  /** Nothing is held open between operations; this waits for the ones in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
  }

  private async selectOne(where: string, params: Record<string, string>): Promise<ResultRow | undefined> {
    const rows = await this.run(async (conn) => {
      const reader = await conn.runAndReadAll(`SELECT ${COLUMN_LIST} FROM ${TABLE} ${where}`, params);
      return reader.getRowObjectsJS();
    });
    return rows[0] ? rowFromColumns(rows[0]) : undefined;
  }

  /**
   * A session that writes rows: `insert` commits one batch (ResultRowInserter), whose prepared
   * statements are freed when `work` ends.
   */
  private writeSession<T>(work: (insert: (rows: readonly ResultRow[]) => Promise<void>) => Promise<T>, wanted: () => boolean = () => true) {
    return this.run(async (conn) => {
      const inserter = new ResultRowInserter(conn, TABLE);
      try {
        return await work((rows) => inserter.write(rows));
      } finally {
        inserter.close();
      }
    }, wanted);
  }

  private run<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  private run<T>(work: (conn: DuckDBConnection) => Promise<T>, wanted: () => boolean): Promise<T | undefined>;
  private run<T>(work: (conn: DuckDBConnection) => Promise<T>, wanted: () => boolean = () => true): Promise<T | undefined> {
    if (this.closed) return Promise.reject(new Error(`DuckDbResultsSink(${this.dbPath}) is closed`));
    const op = withDuckDbIfWanted(
      this.dbPath,
      async (conn) => {
        // On every open, not once per sink: the file may have been deleted and recreated since
        // (a wiped data dir), and next to opening the file this costs next to nothing.
        await conn.run(CREATE_TABLE);
        if (!this.migrated) {
          for (const sql of MIGRATIONS) await conn.run(sql);
          await dropPrimaryKey(conn);
          this.migrated = true;
        }
        return work(conn);
      },
      wanted,
      this.session,
    );
    this.pending.add(op);
    void op.finally(() => this.pending.delete(op)).catch(() => undefined);
    return op;
  }
}

/**
 * A file written before the table lost its primary key is rebuilt without it, once, in one
 * transaction: DuckDB cannot drop a primary key in place.
 */
async function dropPrimaryKey(conn: DuckDBConnection): Promise<void> {
  const keys = await conn.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM duckdb_constraints() WHERE table_name = '${TABLE}' AND constraint_type = 'PRIMARY KEY'`,
  );
  if (keys.getRowObjectsJS()[0]?.n === 0) return;
  const rebuilt = `${TABLE}_rebuilt`;
  await inTransaction(conn, async () => {
    await conn.run(`DROP TABLE IF EXISTS ${rebuilt}`);
    await conn.run(createTable(rebuilt));
    await conn.run(`INSERT INTO ${rebuilt} (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${TABLE}`);
    await conn.run(`DROP TABLE ${TABLE}`);
    await conn.run(`ALTER TABLE ${rebuilt} RENAME TO ${TABLE}`);
  });
}

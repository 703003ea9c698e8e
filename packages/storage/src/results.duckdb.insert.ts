import { BIGINT, DOUBLE, VARCHAR, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBType } from '@duckdb/node-api';
import type { ResultRow } from '@podpreview/shared';
import { COLUMN_LIST, RESULT_COLUMNS, rowToColumns, type ColumnKind } from './results.columns.ts';

const PARAM_TYPES: Record<ColumnKind, DuckDBType> = { text: VARCHAR, int: BIGINT, float: DOUBLE, json: VARCHAR };

/** Rows per statement at most: one statement per batch costs ~1/20 of a statement per row. */
const ROWS_PER_STATEMENT = 200;

type Verb = 'INSERT' | 'INSERT OR REPLACE';

/** One INSERT for `n` rows, positional parameters (typed when bound: inferred ones would make every number a DOUBLE). */
function insertSql(verb: Verb, table: string, n: number): string {
  const width = RESULT_COLUMNS.length;
  const tuples = Array.from({ length: n }, (_, r) => `(${RESULT_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  return `${verb} INTO ${table} (${COLUMN_LIST}) VALUES ${tuples.join(', ')}`;
}

/** DuckDB's words for a second row with a key already in the table. */
const isDuplicateKey = (err: unknown) => err instanceof Error && /duplicate key/i.test(err.message);

/**
 * Writes batches of result rows over one connection (one session of the file), each batch one
 * transaction, with statements prepared once per batch size and reused: a session writes
 * dozens of batches of the same few sizes, and planning a 200-parameter statement was most of
 * its cost.
 *
 * Rows are upserts by run id, but nearly every run is new, and DuckDB's INSERT OR REPLACE costs
 * twice a plain INSERT (~3.5 ms against ~1.6 ms for one row here): a batch goes in as a plain
 * INSERT, and only one that meets a run already there (a retried sink job, a row drained twice)
 * is rolled back and written again as an upsert.
 */
export class ResultRowInserter {
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly table: string,
  ) {}

  async write(batch: readonly ResultRow[]): Promise<void> {
    // One row per run, the last written: one statement cannot write a key twice.
    const rows = [...new Map(batch.map((r) => [r.runId, r])).values()];
    try {
      await this.inTransaction(rows, 'INSERT');
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.inTransaction(rows, 'INSERT OR REPLACE');
    }
  }

  /** Frees the prepared statements (before the connection closes). */
  close(): void {
    for (const s of this.prepared.values()) s.destroySync();
    this.prepared.clear();
  }

  private async inTransaction(rows: readonly ResultRow[], verb: Verb): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        const statement = await this.statement(verb, chunk.length);
        statement.bind(
          chunk.flatMap((r) => {
            const cols = rowToColumns(r);
            return RESULT_COLUMNS.map((c) => cols[c.name] ?? null);
          }),
          chunk.flatMap(() => RESULT_COLUMNS.map((c) => PARAM_TYPES[c.kind])),
        );
        await statement.run();
      }
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  private async statement(verb: Verb, n: number): Promise<DuckDBPreparedStatement> {
    const key = `${verb}:${n}`;
    let s = this.prepared.get(key);
    if (!s) {
      s = await this.conn.prepare(insertSql(verb, this.table, n));
      this.prepared.set(key, s);
    }
    return s;
  }
}

import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBType } from '@duckdb/node-api';
import { duckDb } from './duckdb.module.ts';
import type { ResultRow } from '@podpreview/shared';
import { inTransaction } from './duckdb.session.ts';
import { COLUMN_LIST, RESULT_COLUMNS, rowToColumns, type ColumnKind } from './results.columns.ts';

async function paramTypes(): Promise<Record<ColumnKind, DuckDBType>> {
  const { BIGINT, DOUBLE, VARCHAR } = await duckDb();
  return { text: VARCHAR, int: BIGINT, float: DOUBLE, json: VARCHAR };
}

/** Rows per statement at most: one statement per batch costs ~1/20 of a statement per row. */
const ROWS_PER_STATEMENT = 200;

/** `n` positional parameters from `$first`. */
const params = (first: number, n: number) => Array.from({ length: n }, (_, i) => `$${first + i}`).join(', ');

/** One INSERT for `n` rows, positional parameters (typed when bound: inferred ones would make every number a DOUBLE). */
function insertSql(table: string, n: number): string {
  const width = RESULT_COLUMNS.length;
  const tuples = Array.from({ length: n }, (_, r) => `(${params(r * width + 1, width)})`);
  return `INSERT INTO ${table} (${COLUMN_LIST}) VALUES ${tuples.join(', ')}`;
}

/**
 * Writes batches of result rows over one connection (one session of the file), each batch one
 * transaction, with statements prepared once per batch size and reused: a session writes
 * dozens of batches of the same few sizes, and planning a 200-parameter statement was most of
 * its cost.
 *
 * A run has one row, its last written (a retried sink job, a row drained twice): the table has
 * no key (see results.duckdb.ts), so each batch deletes its runs' rows before inserting them.
 */
export class ResultRowInserter {
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly table: string,
  ) {}

  async write(batch: readonly ResultRow[]): Promise<void> {
    // One row per run, the last written.
    const rows = [...new Map(batch.map((r) => [r.runId, r])).values()];
    const types = await paramTypes();
    await inTransaction(this.conn, async () => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        const remove = await this.statement('delete', chunk.length, () => `DELETE FROM ${this.table} WHERE run_id IN (${params(1, chunk.length)})`);
        remove.bind(
          chunk.map((r) => r.runId),
          chunk.map(() => types.text),
        );
        await remove.run();
        const insert = await this.statement('insert', chunk.length, () => insertSql(this.table, chunk.length));
        insert.bind(
          chunk.flatMap((r) => {
            const cols = rowToColumns(r);
            return RESULT_COLUMNS.map((c) => cols[c.name] ?? null);
          }),
          chunk.flatMap(() => RESULT_COLUMNS.map((c) => types[c.kind])),
        );
        await insert.run();
      }
    });
  }

  /** Frees the prepared statements (before the connection closes). */
  close(): void {
    for (const s of this.prepared.values()) s.destroySync();
    this.prepared.clear();
  }

  private async statement(kind: 'delete' | 'insert', n: number, sql: () => string): Promise<DuckDBPreparedStatement> {
    const key = `${kind}:${n}`;
    let s = this.prepared.get(key);
    if (!s) {
      s = await this.conn.prepare(sql());
      this.prepared.set(key, s);
    }
    return s;
  }
}

import type { BigQuery, BigQueryOptions, Table } from '@google-cloud/bigquery';
import type { ResultRow, ResultsSink, VariantName } from '@podpreview/shared';
import { COLUMN_LIST, rowFromColumns, rowToColumns } from './results.columns.ts';
import { PREVIEWS_TABLE_METADATA } from './schema.bigquery.ts';

export interface BigQueryResultsSinkOptions {
  /** Required with `apiEndpoint`; otherwise taken from the environment's credentials if unset. */
  projectId?: string | undefined;
  dataset: string;
  table: string;
  /** Custom endpoint (emulator, stand-in); no credentials are used with it. */
  apiEndpoint?: string | undefined;
}

/**
 * Unlike the Storage client, the BigQuery client (through @google-cloud/common) authenticates
 * even against a custom endpoint. With no credentials around, google-auth-library then probes
 * the GCE metadata server before giving up, and on a machine with application-default
 * credentials it would send a real access token to the emulator. This object plays
 * google-auth-library's PassThroughClient (no headers, no token) without making that package
 * a dependency of ours; it is used only when `apiEndpoint` is set.
 */
const NO_AUTH = { getRequestHeaders: async () => new Headers() } as unknown as NonNullable<BigQueryOptions['authClient']>;

/**
 * Results in BigQuery, for a fleet of workers. Writes are streaming inserts, which can only
 * append, so a run written twice (a retried sink job) has two rows: every read takes the
 * newest row per run by finished_at_ms (ties between two versions of one run: either).
 */
export class BigQueryResultsSink implements ResultsSink {
  /** The SDK loads on first use (~0.3 s with its dependencies). */
  private readonly client: Promise<{ bigquery: BigQuery; table: Table }>;
  private readonly datasetId: string;
  private readonly tableId: string;
  private ready: Promise<void> | undefined;

  constructor(options: BigQueryResultsSinkOptions) {
    // Both names end up inside SQL text below, so they must be plain identifiers.
    for (const [what, id] of [
      ['dataset', options.dataset],
      ['table', options.table],
    ] as const) {
      if (!/^\w+$/.test(id)) throw new Error(`BigQuery ${what} name must be letters, digits and "_": ${JSON.stringify(id)}`);
    }
    if (options.apiEndpoint && !options.projectId) {
      throw new Error('BigQueryResultsSink: projectId is required with a custom apiEndpoint (there are no credentials to take it from)');
    }
    this.datasetId = options.dataset;
    this.tableId = options.table;
    this.client = import('@google-cloud/bigquery').then(({ BigQuery }) => {
      const bigquery = new BigQuery({
        ...(options.projectId ? { projectId: options.projectId } : {}),
        ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint, authClient: NO_AUTH } : {}),
      });
      return { bigquery, table: bigquery.dataset(options.dataset).table(options.table) };
    });
    // A failure shows at the first use, where it is awaited.
    this.client.catch(() => {});
  }

  /**
   * Creates the dataset and table if missing (another process racing us to it is fine).
   * Called once, lazily, before the first operation. Caveat of real BigQuery: streaming
   * inserts into a table created moments ago can fail or be dropped for a minute or two, so
   * create it ahead of the first run in production (deploy step), not from the first write.
   */
  async ensureTable(): Promise<void> {
    const { bigquery, table } = await this.client;
    const dataset = bigquery.dataset(this.datasetId);
    const [datasetExists] = await dataset.exists();
    if (!datasetExists) await ignoreAlreadyExists(dataset.create());
    const [tableExists] = await table.exists();
    if (!tableExists) await ignoreAlreadyExists(dataset.createTable(this.tableId, PREVIEWS_TABLE_METADATA));
    else await addMissingColumns(table);
  }

  async write(row: ResultRow): Promise<void> {
    await this.whenReady();
    const json = rowToColumns(row);
    // Keyed by the run and its outcome: a retried insert (a lost response, a dead-lettered row
    // written again later, with other timestamps) is dropped by BigQuery's dedup instead of
    // doubling the run, while a different outcome for the run still replaces it (reads take
    // the newest row per run).
    const insertId = `${row.runId}:${row.status}`;
    try {
      // partialRetries 0: a row BigQuery rejects is a schema problem, not a transient one.
      await (await this.client).table.insert([{ insertId, json }], { raw: true, partialRetries: 0 });
    } catch (err) {
      throw describeInsertError(err, row.runId);
    }
  }

  latestForEpisode(episodeId: string, variants?: readonly VariantName[]): Promise<ResultRow | undefined> {
    // The newest row of the episode is necessarily the newest row of its run: no dedup needed.
    const v = ofVariants(variants);
    return this.queryOne(`SELECT ${COLUMN_LIST} FROM ${this.ref()} WHERE episode_id = @episodeId${v.where} ORDER BY finished_at_ms DESC, run_id DESC LIMIT 1`, {
      episodeId,
      ...v.params,
    });
  }

  findSucceeded(episodeId: string, contentHash: string, variants?: readonly VariantName[]): Promise<ResultRow | undefined> {
    const v = ofVariants(variants);
    // Newest row per run first, then filter: a run rewritten as failed must not still count
    // through its older succeeded row.
    return this.queryOne(
      `WITH newest_per_run AS (
         SELECT ${COLUMN_LIST} FROM ${this.ref()} WHERE episode_id = @episodeId
         QUALIFY ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY finished_at_ms DESC) = 1
       )
       SELECT * FROM newest_per_run WHERE status = 'succeeded' AND content_hash = @contentHash${v.where}
       ORDER BY finished_at_ms DESC, run_id DESC LIMIT 1`,
      { episodeId, contentHash, ...v.params },
    );
  }

  forRun(runId: string): Promise<ResultRow | undefined> {
    return this.queryOne(`SELECT ${COLUMN_LIST} FROM ${this.ref()} WHERE run_id = @runId ORDER BY finished_at_ms DESC LIMIT 1`, { runId });
  }

  async finishedSince(sinceMs: number, limit: number): Promise<ResultRow[]> {
    await this.whenReady();
    const [rows] = await (await this.client).bigquery.query({
      query: `SELECT ${COLUMN_LIST} FROM ${this.ref()} WHERE finished_at_ms >= @since
              QUALIFY ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY finished_at_ms DESC) = 1
              ORDER BY finished_at_ms DESC, run_id DESC LIMIT @limit`,
      params: { since: Math.floor(sinceMs), limit: Math.max(0, Math.floor(limit)) },
    });
    return (rows as Record<string, unknown>[]).map(rowFromColumns);
  }

  /** The client holds no connections worth closing. */
  async close(): Promise<void> {}

  private ref(): string {
    return `\`${this.datasetId}.${this.tableId}\``;
  }

  private async queryOne(query: string, params: Record<string, string>): Promise<ResultRow | undefined> {
    await this.whenReady();
    const [rows] = await (await this.client).bigquery.query({ query, params });
    const first = (rows as Record<string, unknown>[])[0];
    return first ? rowFromColumns(first) : undefined;
  }

  private whenReady(): Promise<void> {
    // Memoized, but forgotten on failure so the next operation tries again.
    this.ready ??= this.ensureTable().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }
}

/** Rows of these variants only (rows from before the column, NULL, are production's): a condition and its parameter. */
function ofVariants(variants: readonly VariantName[] | undefined): { where: string; params: Record<string, string> } {
  if (!variants) return { where: '', params: {} };
  return { where: ` AND COALESCE(variant, 'production') IN UNNEST(SPLIT(@variants, ','))`, params: { variants: variants.join(',') } };
}

/**
 * A table created before a column existed (`variant`, say) gets it added, NULLABLE, as BigQuery
 * allows without rewriting rows; reads give old rows the column's default (results.columns.ts).
 * Without it every insert naming the new column would be refused.
 */
async function addMissingColumns(table: Table): Promise<void> {
  const [metadata] = await table.getMetadata();
  const fields = ((metadata as { schema?: { fields?: { name: string }[] } }).schema?.fields ?? []) as { name: string }[];
  const missing = PREVIEWS_TABLE_METADATA.schema!.fields!.filter((f) => !fields.some((old) => old.name === f.name));
  if (missing.length === 0) return;
  await table.setMetadata({ schema: { fields: [...fields, ...missing.map((f) => ({ ...f, mode: 'NULLABLE' }))] } });
}

async function ignoreAlreadyExists(creation: Promise<unknown>): Promise<void> {
  try {
    await creation;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 409) throw err;
  }
}

/** PartialFailureError lists per-row reasons deep inside; lift them into the message. */
function describeInsertError(err: unknown, runId: string): unknown {
  const rows = (err as { name?: string; errors?: { errors?: { reason?: string; message?: string }[] }[] }).errors;
  if ((err as { name?: string }).name !== 'PartialFailureError' || !Array.isArray(rows)) return err;
  const reasons = rows.flatMap((r) => r.errors ?? []).map((e) => `${e.reason ?? 'error'}: ${e.message ?? ''}`);
  return new Error(`BigQuery rejected the result row of run ${runId}: ${reasons.join('; ')}`, { cause: err });
}

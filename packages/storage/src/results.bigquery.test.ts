import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resultsSinkContract } from './results.suite.ts';
import { failedRow, succeededRow } from './results.fixtures.ts';
import { BigQueryResultsSink } from './results.bigquery.ts';
import { PREVIEWS_SCHEMA } from './schema.bigquery.ts';
import { startBigQueryStandin, type BigQueryStandin } from './testing/index.ts';

const PROJECT = 'podpreview-test';
let standin: BigQueryStandin;
let tableSeq = 0;

beforeAll(async () => {
  // Any attempt to authenticate would now fail loudly instead of quietly finding credentials.
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '/nonexistent/podpreview-test-credentials.json');
  standin = await startBigQueryStandin();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standin.close();
});

const newSink = (table = `previews_${++tableSeq}`) => new BigQueryResultsSink({ projectId: PROJECT, dataset: 'podpreview', table, apiEndpoint: standin.url });

resultsSinkContract('BigQueryResultsSink (stand-in)', async () => {
  const sink = newSink();
  return { sink, dispose: () => sink.close() };
});

describe('BigQueryResultsSink', () => {
  it('ensureTable creates the dataset and the table with the shared schema, idempotently', async () => {
    const sink = newSink('ensure_me');
    await sink.ensureTable();
    await sink.ensureTable();
    expect(standin.schema(PROJECT, 'podpreview', 'ensure_me')).toEqual(PREVIEWS_SCHEMA);
    expect(PREVIEWS_SCHEMA.map((f) => f.name)).toContain('stage_timings_ms');
  });

  it('adds the columns a table from before them lacks (variant, owner), NULLABLE; its old rows read as production’s, owned by nobody', async () => {
    const before = newSink('before_variants');
    const old = succeededRow();
    await before.write(old);
    // Now a table from before the variant and owner columns: the columns, and their values in the row, gone.
    const fields = standin.schema(PROJECT, 'podpreview', 'before_variants')!;
    for (const name of ['variant', 'owner']) {
      fields.splice(
        fields.findIndex((f) => f.name === name),
        1,
      );
    }
    for (const r of standin.rows(PROJECT, 'podpreview', 'before_variants')) {
      delete r.variant;
      delete r.owner;
    }
    const after = newSink('before_variants');
    expect(await after.forRun(old.runId)).toEqual({ ...old, owner: null });
    expect(standin.schema(PROJECT, 'podpreview', 'before_variants')?.map((f) => f.name)).toEqual(PREVIEWS_SCHEMA.map((f) => f.name));
    expect(standin.schema(PROJECT, 'podpreview', 'before_variants')?.slice(-2)).toEqual([
      { name: 'variant', type: 'STRING', mode: 'NULLABLE' },
      { name: 'owner', type: 'STRING', mode: 'NULLABLE' },
    ]);
    const fallback = succeededRow({ variant: 'fallback' });
    await after.write(fallback);
    expect(await after.forRun(fallback.runId)).toEqual(fallback);
  });

  it('appends: a rewritten run is a second row, reads take the newest', async () => {
    const sink = newSink('append_only');
    const first = failedRow();
    const second = succeededRow({ runId: first.runId, finishedAtMs: first.finishedAtMs + 1 });
    await sink.write(first);
    await sink.write(second);
    expect(standin.rows(PROJECT, 'podpreview', 'append_only')).toHaveLength(2);
    expect(await sink.forRun(first.runId)).toEqual(second);
  });

  it('a row sent twice is stored once, even with other timestamps (insertId = run and outcome)', async () => {
    const sink = newSink('insert_ids');
    const row = succeededRow();
    await sink.write(row);
    await sink.write({ ...row, finishedAtMs: row.finishedAtMs + 5000, latencyMs: row.latencyMs + 5000 });
    expect(standin.rows(PROJECT, 'podpreview', 'insert_ids')).toHaveLength(1);
  });

  it('stores JSON fields as JSON text and times as integers', async () => {
    const sink = newSink('encoding');
    const row = succeededRow();
    await sink.write(row);
    const [stored] = standin.rows(PROJECT, 'podpreview', 'encoding');
    expect(JSON.parse(String(stored?.stage_timings_ms))).toEqual(row.stageTimingsMs);
    expect(stored?.finished_at_ms).toBe(row.finishedAtMs);
  });

  it('a rejected row fails with the reason BigQuery gave', async () => {
    const sink = newSink('rejects');
    const bad = { ...succeededRow(), episodeId: null } as never;
    await expect(sink.write(bad)).rejects.toThrow(/rejected the result row of run .*Missing required field: episode_id/);
  });

  it('refuses names that would break the SQL, and a custom endpoint without a project', () => {
    expect(() => new BigQueryResultsSink({ projectId: PROJECT, dataset: 'a`; DROP', table: 't', apiEndpoint: standin.url })).toThrow(/dataset name/);
    expect(() => new BigQueryResultsSink({ projectId: undefined, dataset: 'd', table: 't', apiEndpoint: standin.url })).toThrow(/projectId is required/);
  });

  // Runs last in this file: checks every call above.
  it('used only implemented calls, without credentials', () => {
    expect(standin.unhandled).toEqual([]);
    expect(standin.authorized).toEqual([]);
  });
});

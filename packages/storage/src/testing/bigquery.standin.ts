import { randomUUID } from 'node:crypto';
import { googleError, startStandin, type StandinRequest, type StandinResponse, type StandinServer } from './http.standin.ts';

/**
 * TEST STAND-IN, not an emulator: an in-memory imitation of the BigQuery REST calls that
 * BigQueryResultsSink makes through the real @google-cloud/bigquery v8 client (found by running
 * the client against it; anything else answers 501):
 *
 *   GET  /bigquery/v2/projects/{p}/datasets/{d}                        Dataset#exists
 *   POST /bigquery/v2/projects/{p}/datasets                            Dataset#create
 *   GET  /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}             Table#exists, Table#getMetadata
 *   PATCH /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}            Table#setMetadata (new NULLABLE columns only)
 *   POST /bigquery/v2/projects/{p}/datasets/{d}/tables                 Dataset#createTable
 *   POST /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}/insertAll   Table#insert
 *   POST /bigquery/v2/projects/{p}/queries                             BigQuery#query (jobs.query)
 *
 * It does NOT run SQL. A query is recognized by its set of named parameters, which are the
 * sink's own reads ({runId}, {episodeId}, {episodeId, contentHash}, each of the last two with
 * an optional {variants}, and {since, limit}), and answered by
 * filtering the inserted rows in memory with the same meaning; the table is taken from the
 * query's FROM `dataset.table`. So the tests check what crosses the wire (row encoding, the
 * schema, parameters, result decoding), not the SQL text itself, which needs real BigQuery.
 * insertAll does check rows against the table schema (unknown field, missing REQUIRED value,
 * wrong type) and drops a repeated insertId, as BigQuery does.
 */
export interface BigQueryStandin extends StandinServer {
  /** Every stored row of a table, in insertion order (tests: append-only check). */
  rows(projectId: string, dataset: string, table: string): Record<string, unknown>[];
  /** The schema a table was created with, or undefined if it does not exist. */
  schema(projectId: string, dataset: string, table: string): Field[] | undefined;
}

export interface Field {
  name: string;
  type: string;
  mode?: string;
}

interface StoredTable {
  fields: Field[];
  rows: Record<string, unknown>[];
  insertIds: Set<string>;
}

export async function startBigQueryStandin(): Promise<BigQueryStandin> {
  const datasets = new Set<string>();
  const tables = new Map<string, StoredTable>();

  const routes = (req: StandinRequest): StandinResponse | undefined => {
    const parts = req.url.pathname.split('/').map(decodeURIComponent);
    // ['', 'bigquery', 'v2', 'projects', p, ...rest]
    if (parts[1] !== 'bigquery' || parts[2] !== 'v2' || parts[3] !== 'projects' || !parts[4]) return undefined;
    const project = parts[4];
    const rest = parts.slice(5);
    const body = (): Record<string, unknown> => (req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>) : {});

    if (rest[0] === 'queries' && rest.length === 1 && req.method === 'POST') return query(project, body());
    if (rest[0] !== 'datasets') return undefined;
    const [, dataset, tablesPart, table, action] = rest;

    if (rest.length === 1 && req.method === 'POST') {
      const id = (body().datasetReference as { datasetId?: string } | undefined)?.datasetId;
      if (!id) return googleError(400, 'invalid', 'datasetReference.datasetId is required');
      if (datasets.has(`${project}:${id}`)) return googleError(409, 'duplicate', `Already Exists: Dataset ${project}:${id}`);
      datasets.add(`${project}:${id}`);
      return { status: 200, body: datasetResource(project, id) };
    }
    if (!dataset) return undefined;
    const datasetKey = `${project}:${dataset}`;
    if (rest.length === 2 && req.method === 'GET') {
      return datasets.has(datasetKey)
        ? { status: 200, body: datasetResource(project, dataset) }
        : googleError(404, 'notFound', `Not found: Dataset ${datasetKey}`);
    }
    if (tablesPart !== 'tables') return undefined;
    if (rest.length === 3 && req.method === 'POST') {
      if (!datasets.has(datasetKey)) return googleError(404, 'notFound', `Not found: Dataset ${datasetKey}`);
      const metadata = body() as { tableReference?: { tableId?: string }; schema?: { fields?: Field[] } };
      const id = metadata.tableReference?.tableId;
      if (!id || !metadata.schema?.fields?.length) return googleError(400, 'invalid', 'tableReference.tableId and schema.fields are required');
      if (tables.has(`${datasetKey}.${id}`)) return googleError(409, 'duplicate', `Already Exists: Table ${datasetKey}.${id}`);
      tables.set(`${datasetKey}.${id}`, { fields: metadata.schema.fields, rows: [], insertIds: new Set() });
      return { status: 200, body: tableResource(project, dataset, id, metadata.schema.fields) };
    }
    if (!table) return undefined;
    const stored = tables.get(`${datasetKey}.${table}`);
    const missing = googleError(404, 'notFound', `Not found: Table ${datasetKey}.${table}`);
    if (rest.length === 4 && req.method === 'GET') return stored ? { status: 200, body: tableResource(project, dataset, table, stored.fields) } : missing;
    if (rest.length === 4 && req.method === 'PATCH')
      return stored ? patchSchema(stored, body(), tableResource(project, dataset, table, stored.fields)) : missing;
    if (rest.length === 5 && action === 'insertAll' && req.method === 'POST') return stored ? insertAll(stored, body()) : missing;
    return undefined;
  };

  const query = (project: string, request: Record<string, unknown>): StandinResponse => {
    if (request.useLegacySql !== false) return googleError(400, 'invalid', 'the stand-in only takes standard SQL (useLegacySql: false)');
    const sql = String(request.query ?? '');
    const from = /FROM\s+`(?:([\w-]+)\.)?(\w+)\.(\w+)`/i.exec(sql);
    if (!from) return googleError(400, 'invalid', 'stand-in: no FROM `dataset.table` in the query');
    const key = `${from[1] ?? project}:${from[2]}.${from[3]}`;
    const stored = tables.get(key);
    if (!stored) return googleError(404, 'notFound', `Not found: Table ${key}`);
    const params = Object.fromEntries(
      ((request.queryParameters ?? []) as { name: string; parameterValue: { value: string } }[]).map((p) => [p.name, p.parameterValue.value]),
    );
    const result = answer(stored.rows, params);
    if (result === undefined)
      return googleError(400, 'invalid', `stand-in does not know a query with parameters ${Object.keys(params).sort().join(', ') || '(none)'}`);
    return {
      status: 200,
      body: {
        kind: 'bigquery#queryResponse',
        jobReference: { projectId: project, jobId: `standin_${randomUUID()}`, location: 'US' },
        jobComplete: true,
        cacheHit: false,
        schema: { fields: stored.fields },
        totalRows: String(result.length),
        rows: result.map((row) => ({ f: stored.fields.map((f) => ({ v: encodeValue(row[f.name]) })) })),
      },
    };
  };

  const server = await startStandin('bigquery', routes);
  return {
    ...server,
    rows: (projectId, dataset, table) => [...(tables.get(`${projectId}:${dataset}.${table}`)?.rows ?? [])],
    schema: (projectId, dataset, table) => tables.get(`${projectId}:${dataset}.${table}`)?.fields,
  };
}

/**
 * BigQuery's rule for a schema update: every existing column stays as it was, new ones come
 * NULLABLE (existing rows have no value for them).
 */
function patchSchema(table: StoredTable, request: Record<string, unknown>, resource: Record<string, unknown>): StandinResponse {
  const fields = (request.schema as { fields?: Field[] } | undefined)?.fields;
  if (!fields) return { status: 200, body: resource };
  for (const old of table.fields) {
    const now = fields.find((f) => f.name === old.name);
    if (!now || now.type !== old.type || (now.mode ?? 'NULLABLE') !== (old.mode ?? 'NULLABLE'))
      return googleError(400, 'invalid', `Provided Schema does not match Table: field ${old.name} has changed or is missing`);
  }
  const added = fields.filter((f) => !table.fields.some((old) => old.name === f.name));
  if (added.some((f) => f.mode === 'REQUIRED')) return googleError(400, 'invalid', 'Provided Schema does not match Table: cannot add required fields');
  table.fields = [...table.fields, ...added];
  return { status: 200, body: { ...resource, schema: { fields: table.fields } } };
}

/** The sink's reads, by parameter set; undefined for anything else. */
function answer(all: Record<string, unknown>[], allParams: Record<string, string>): Record<string, unknown>[] | undefined {
  // `variants`: a comma list; rows without a variant (written before the column) are production's.
  const { variants, ...params } = allParams;
  const rows = variants === undefined ? all : all.filter((r) => variants.split(',').includes(String(r.variant ?? 'production')));
  const names = Object.keys(params).sort().join(',');
  const newestFirst = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    Number(b.finished_at_ms) - Number(a.finished_at_ms) || String(b.run_id).localeCompare(String(a.run_id));
  if (names === 'runId') {
    return rows
      .filter((r) => r.run_id === params.runId)
      .sort(newestFirst)
      .slice(0, 1);
  }
  if (names === 'episodeId') {
    return rows
      .filter((r) => r.episode_id === params.episodeId)
      .sort(newestFirst)
      .slice(0, 1);
  }
  if (names === 'contentHash,episodeId') {
    const newestPerRun = new Map<unknown, Record<string, unknown>>();
    for (const r of rows.filter((r) => r.episode_id === params.episodeId)) {
      const seen = newestPerRun.get(r.run_id);
      if (!seen || Number(r.finished_at_ms) >= Number(seen.finished_at_ms)) newestPerRun.set(r.run_id, r);
    }
    return [...newestPerRun.values()]
      .filter((r) => r.status === 'succeeded' && r.content_hash === params.contentHash)
      .sort(newestFirst)
      .slice(0, 1);
  }
  if (names === 'limit,since') {
    const newestPerRun = new Map<unknown, Record<string, unknown>>();
    for (const r of rows.filter((r) => Number(r.finished_at_ms) >= Number(params.since))) {
      const seen = newestPerRun.get(r.run_id);
      if (!seen || Number(r.finished_at_ms) >= Number(seen.finished_at_ms)) newestPerRun.set(r.run_id, r);
    }
    return [...newestPerRun.values()].sort(newestFirst).slice(0, Number(params.limit));
  }
  return undefined;
}

/** BigQuery rejects the whole request if any row is bad: bad rows get `invalid`, the rest `stopped`. */
function insertAll(table: StoredTable, request: Record<string, unknown>): StandinResponse {
  const rows = (request.rows ?? []) as { insertId?: string; json: Record<string, unknown> }[];
  const problems = rows.map((row) => rowProblem(table.fields, row.json));
  if (problems.some((p) => p !== undefined)) {
    return {
      status: 200,
      body: {
        kind: 'bigquery#tableDataInsertAllResponse',
        insertErrors: problems.map((problem, index) => ({
          index,
          errors: [problem ? { reason: 'invalid', location: problem.field, message: problem.message } : { reason: 'stopped', message: '' }],
        })),
      },
    };
  }
  for (const row of rows) {
    if (row.insertId && table.insertIds.has(row.insertId)) continue;
    if (row.insertId) table.insertIds.add(row.insertId);
    table.rows.push(structuredClone(row.json));
  }
  return { status: 200, body: { kind: 'bigquery#tableDataInsertAllResponse' } };
}

function rowProblem(fields: Field[], json: Record<string, unknown>): { field: string; message: string } | undefined {
  for (const name of Object.keys(json)) {
    if (!fields.some((f) => f.name === name)) return { field: name, message: `no such field: ${name}.` };
  }
  for (const f of fields) {
    const value = json[f.name];
    if (value === null || value === undefined) {
      if (f.mode === 'REQUIRED') return { field: f.name, message: `Missing required field: ${f.name}.` };
      continue;
    }
    const ok =
      f.type === 'STRING'
        ? typeof value === 'string'
        : f.type === 'INT64' || f.type === 'INTEGER'
          ? /^-?\d+$/.test(String(value))
          : f.type === 'FLOAT64' || f.type === 'FLOAT'
            ? Number.isFinite(Number(value)) && typeof value !== 'boolean'
            : true;
    if (!ok) return { field: f.name, message: `Cannot convert value to ${f.type}: ${JSON.stringify(value)}` };
  }
  return undefined;
}

/** The REST API returns every scalar as a string (INT64 especially, to survive JSON). */
function encodeValue(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function datasetResource(project: string, dataset: string): Record<string, unknown> {
  return { kind: 'bigquery#dataset', id: `${project}:${dataset}`, datasetReference: { projectId: project, datasetId: dataset }, location: 'US' };
}

function tableResource(project: string, dataset: string, table: string, fields: Field[]): Record<string, unknown> {
  return {
    kind: 'bigquery#table',
    id: `${project}:${dataset}.${table}`,
    tableReference: { projectId: project, datasetId: dataset, tableId: table },
    schema: { fields },
    type: 'TABLE',
  };
}

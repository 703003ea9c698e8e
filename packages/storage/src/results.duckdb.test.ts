import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDuckDb } from './duckdb.session.ts';
import { DuckDbLockTimeoutError } from './errors/storage.errors.ts';
import { resultsSinkContract } from './results.suite.ts';
import { failedRow, succeededRow } from './results.fixtures.ts';
import { DuckDbResultsSink } from './results.duckdb.ts';

resultsSinkContract('DuckDbResultsSink', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'results-duckdb-'));
  const sink = new DuckDbResultsSink(path.join(dir, 'results.duckdb'));
  return {
    sink,
    dispose: async () => {
      await sink.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const CHILD = fileURLToPath(new URL('./results.duckdb.child.ts', import.meta.url));

/** Starts the child; resolves `ready` once it prints it, `done` with its last JSON line. */
function startChild(args: string[]): { ready: Promise<void>; done: Promise<Record<string, number>>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: path.dirname(CHILD), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready')) onReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<Record<string, number>>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>);
    });
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), done, kill: () => child.kill() };
}

describe('DuckDbResultsSink across processes', () => {
  let dir: string;
  let dbPath: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'results-duckdb-'));
    dbPath = path.join(dir, 'nested', 'dirs', 'results.duckdb');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('waits out a file another process is creating (no header yet), and refuses an old invalid one at once', async () => {
    // Made elsewhere, then moved into place the way a creator's header lands: 200 ms after the
    // open found the file empty.
    const elsewhere = path.join(dir, 'elsewhere.duckdb');
    const first = succeededRow({ runId: 'made-elsewhere' });
    const maker = new DuckDbResultsSink(elsewhere);
    await maker.write(first);
    await maker.close();
    await mkdir(path.dirname(dbPath), { recursive: true });
    await writeFile(dbPath, '');
    // The creator is at work until its file lands: its mtime stays recent, however long a busy
    // machine takes to reach the sink's first open.
    const creating = setInterval(() => void utimes(dbPath, new Date(), new Date()).catch(() => {}), 100);
    const sink = new DuckDbResultsSink(dbPath);
    const row = succeededRow({ runId: 'after-creation' });
    const writing = sink.write(row);
    await new Promise((r) => setTimeout(r, 200));
    clearInterval(creating);
    await rename(elsewhere, dbPath);
    await writing;
    expect(await sink.forRun(row.runId)).toEqual(row);
    expect(await sink.forRun(first.runId)).toEqual(first);
    await sink.close();

    const stale = path.join(dir, 'stale.duckdb');
    await writeFile(stale, '');
    await utimes(stale, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const started = Date.now();
    await expect(new DuckDbResultsSink(stale).write(row)).rejects.toThrow(/not a valid DuckDB database file/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('creates the parent directories and the file on first use', async () => {
    const sink = new DuckDbResultsSink(dbPath);
    expect(await sink.latestForEpisode('ep-none')).toBeUndefined();
    expect((await stat(dbPath)).isFile()).toBe(true);
  });

  it('a child process and this one write at the same time without losing rows', async () => {
    const count = 25;
    const child = startChild(['write', dbPath, 'child', String(count)]);
    await child.ready;
    const sink = new DuckDbResultsSink(dbPath);
    const startedAtMs = Date.now();
    for (let i = 0; i < count; i++) await sink.write(succeededRow({ runId: `parent-${i}`, episodeId: 'ep-shared' }));
    const endedAtMs = Date.now();
    const childTimes = await child.done;
    // The two writers really overlapped in time, so the lock was contended.
    expect(childTimes.startedAtMs!).toBeLessThan(endedAtMs);
    expect(startedAtMs).toBeLessThan(childTimes.endedAtMs!);
    const missing: string[] = [];
    for (const prefix of ['child', 'parent']) {
      for (let i = 0; i < count; i++) if (!(await sink.forRun(`${prefix}-${i}`))) missing.push(`${prefix}-${i}`);
    }
    expect(missing).toEqual([]);
    await sink.close();
  }, 90_000);

  it('waits for another process to release the file', async () => {
    const holder = startChild(['hold', dbPath, '700']);
    await holder.ready;
    const sink = new DuckDbResultsSink(dbPath);
    const row = succeededRow();
    await sink.write(row);
    const { releasedAtMs } = await holder.done;
    expect(Date.now()).toBeGreaterThanOrEqual(releasedAtMs!);
    expect(await sink.forRun(row.runId)).toEqual(row);
  }, 90_000);

  it('gives up with a clear error when the file stays locked', async () => {
    const holder = startChild(['hold', dbPath, '10000']);
    await holder.ready;
    try {
      const sink = new DuckDbResultsSink(dbPath, { lockTimeoutMs: 400 });
      let released = false;
      holder.done.then(
        () => (released = true),
        () => (released = true),
      );
      const startedAtMs = Date.now();
      const err = await sink.write(succeededRow()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DuckDbLockTimeoutError);
      expect((err as Error).message).toMatch(/locked by another process for 0\.4 s/);
      // It waited out its timeout, and gave up while the other process still held the file.
      expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(400);
      expect(released).toBe(false);
    } finally {
      holder.kill();
    }
  }, 90_000);
});

describe('DuckDbResultsSink within one process', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'results-duckdb-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('two sinks on one file, writing concurrently, lose no rows', async () => {
    const dbPath = path.join(dir, 'results.duckdb');
    const a = new DuckDbResultsSink(dbPath);
    const b = new DuckDbResultsSink(dbPath);
    const rows = Array.from({ length: 20 }, (_, i) => succeededRow({ runId: `run-${i}`, episodeId: 'ep-shared' }));
    await Promise.all(rows.map((row, i) => (i % 2 ? a : b).write(row)));
    const back = await Promise.all(rows.map((row) => a.forRun(row.runId)));
    expect(back).toEqual(rows);
    await Promise.all([a.close(), b.close()]);
  });

  it('adds the variant column to a file from before variants, its old rows read as production’s; drops its primary key, a run still one row', async () => {
    const dbPath = path.join(dir, 'old.duckdb');
    const old = succeededRow({ episodeId: 'ep-old' });
    // The table as the sink created it before the variant column, with one row in it.
    await withDuckDb(dbPath, async (conn) => {
      await conn.run(`CREATE TABLE previews (run_id VARCHAR NOT NULL, episode_id VARCHAR NOT NULL, content_hash VARCHAR, status VARCHAR NOT NULL,
        preview_start_sec DOUBLE, preview_end_sec DOUBLE, duration_sec DOUBLE, speech_fraction DOUBLE, score DOUBLE, path VARCHAR, clip_key VARCHAR,
        failed_stage VARCHAR, error_class VARCHAR, error_code VARCHAR, error_message VARCHAR, stage_timings_ms VARCHAR NOT NULL, models VARCHAR NOT NULL,
        model_stats VARCHAR, enqueued_at_ms BIGINT NOT NULL, finished_at_ms BIGINT NOT NULL, latency_ms BIGINT NOT NULL, build VARCHAR, PRIMARY KEY (run_id))`);
      await conn.run(
        `INSERT INTO previews (run_id, episode_id, content_hash, status, stage_timings_ms, models, enqueued_at_ms, finished_at_ms, latency_ms)
         VALUES ('${old.runId}', 'ep-old', '${old.contentHash}', 'succeeded', '{}', '[]', 1, 2, 1)`,
      );
    });
    const sink = new DuckDbResultsSink(dbPath);
    expect((await sink.forRun(old.runId))?.variant).toBe('production');
    expect((await sink.findSucceeded('ep-old', old.contentHash!, ['production']))?.runId).toBe(old.runId);
    const fallback = succeededRow({ episodeId: 'ep-old', variant: 'fallback' });
    await sink.write(fallback);
    expect(await sink.forRun(fallback.runId)).toEqual(fallback);
    const rewritten = { ...old, episodeId: 'ep-old', status: 'failed' as const, errorCode: 'internal' };
    await sink.write(rewritten);
    expect(await sink.forRun(old.runId)).toMatchObject({ status: 'failed', errorCode: 'internal' });
    await sink.close();
    const after = await withDuckDb(dbPath, async (conn) => {
      const read = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS()[0]?.n;
      return {
        keys: await read(`SELECT count(*)::INTEGER AS n FROM duckdb_constraints() WHERE table_name = 'previews' AND constraint_type = 'PRIMARY KEY'`),
        rowsOfOld: await read(`SELECT count(*)::INTEGER AS n FROM previews WHERE run_id = '${old.runId}'`),
        rows: await read('SELECT count(*)::INTEGER AS n FROM previews'),
      };
    });
    expect(after).toEqual({ keys: 0, rowsOfOld: 1, rows: 2 });
  });

  it('refuses work after close', async () => {
    const sink = new DuckDbResultsSink(path.join(dir, 'r.duckdb'));
    await sink.close();
    await expect(sink.forRun('x')).rejects.toThrow(/closed/);
  });

  it('writeFrom: writes what the source hands, batch after batch, in one session, and reports each batch', async () => {
    const dbPath = path.join(dir, 'shared.duckdb');
    const sink = new DuckDbResultsSink(dbPath);
    const rows = Array.from({ length: 7 }, (_, i) => succeededRow({ runId: `shared-${i}` }));
    // A later row for run shared-0 in the same batch: the last one wins.
    const replaced = succeededRow({ runId: 'shared-0', episodeId: 'ep-replaced' });
    const batches = [[rows[0]!, rows[1]!, rows[2]!, replaced], [rows[3]!], [rows[4]!, rows[5]!, rows[6]!]];
    const committed: string[][] = [];
    const written = await sink.writeFrom({
      wanted: () => true,
      take: async () => batches.shift() ?? [],
      committed: async (batch) => {
        committed.push(batch.map((r) => r.runId));
      },
    });
    expect(written).toBe(8);
    expect(committed).toEqual([['shared-0', 'shared-1', 'shared-2', 'shared-0'], ['shared-3'], ['shared-4', 'shared-5', 'shared-6']]);
    expect((await sink.forRun('shared-0'))?.episodeId).toBe('ep-replaced');
    for (const r of rows.slice(1)) expect(await sink.forRun(r.runId)).toEqual(r);
    await sink.close();
  });

  it('writeFrom: a batch that meets a run already written in the session replaces it, and its new runs still land', async () => {
    const sink = new DuckDbResultsSink(path.join(dir, 'again.duckdb'));
    const [a, b, c, d] = Array.from({ length: 4 }, (_, i) => succeededRow({ runId: `again-${i}` }));
    const aLater = failedRow({ runId: a!.runId, episodeId: a!.episodeId, errorCode: 'internal' });
    // Same sizes, so the second and third batches run statements prepared for the first.
    const batches = [
      [a!, b!],
      [c!, aLater],
      [d!, { ...b!, score: 9 }],
    ];
    const written = await sink.writeFrom({ wanted: () => true, take: async () => batches.shift() ?? [], committed: async () => {} });
    expect(written).toBe(6);
    expect(await sink.forRun(a!.runId)).toEqual(aLater);
    expect((await sink.forRun(b!.runId))?.score).toBe(9);
    expect(await sink.forRun(c!.runId)).toEqual(c);
    expect(await sink.forRun(d!.runId)).toEqual(d);
    expect(await sink.finishedSince(0, 100)).toHaveLength(4);
    await sink.close();
  });

  it('writeFrom: a source that is no longer wanted does not open the file', async () => {
    const dbPath = path.join(dir, 'unopened.duckdb');
    const sink = new DuckDbResultsSink(dbPath);
    let took = 0;
    const written = await sink.writeFrom({
      wanted: () => false,
      take: async () => {
        took++;
        return [succeededRow()];
      },
      committed: async () => {},
    });
    expect(written).toBe(0);
    expect(took).toBe(0);
    await expect(stat(dbPath)).rejects.toThrow(/ENOENT/);
    await sink.close();
  });
});

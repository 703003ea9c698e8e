import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type ResultRow, type ResultRowSource, type SessionResultsSink } from '@podpreview/shared';
import { DuckDbResultsSink } from '@podpreview/storage';
import { createRedis, type PrivateRedis, type RedisConnection, resultsPendingKey, startPrivateRedis } from '@podpreview/runs';
import { createResultsSpool, type ResultsSpool } from './results-spool.ts';

// The spool on a real private Redis and a real DuckDB file: several writers (as several worker
// processes would be, each with its own connections) sharing one list and one table.

const log = createLogger('silent');
let redis: PrivateRedis;
let dir: string;
let prefix: string;
const connections: RedisConnection[] = [];
const spools: ResultsSpool[] = [];

const row = (runId: string, overrides: Partial<ResultRow> = {}): ResultRow => ({
  runId,
  episodeId: `ep-${runId}`,
  contentHash: 'a'.repeat(64),
  status: 'succeeded',
  previewStartSec: 1,
  previewEndSec: 61,
  durationSec: 600,
  speechFraction: 0.9,
  score: 1,
  path: 'audio-only',
  clipKey: `episodes/${runId}/preview.mp3`,
  failedStage: null,
  errorClass: null,
  errorCode: null,
  errorMessage: null,
  stageTimingsMs: { preprocess: 1 },
  models: [],
  modelStats: null,
  enqueuedAtMs: 1,
  finishedAtMs: 2,
  latencyMs: 1,
  build: 'test',
  variant: 'production',
  ...overrides,
});

/** A table that counts its sessions and the rows each wrote. */
function counted(sink: DuckDbResultsSink): SessionResultsSink & { sessions: number[] } {
  const sessions: number[] = [];
  return Object.assign(Object.create(sink) as DuckDbResultsSink, {
    sessions,
    writeFrom: async (source: ResultRowSource) => {
      const n = await sink.writeFrom(source);
      if (n > 0) sessions.push(n);
      return n;
    },
  });
}

function spool(sink: SessionResultsSink): { spool: ResultsSpool; connection: RedisConnection } {
  const connection = createRedis(redis.url, 'worker');
  connections.push(connection);
  const s = createResultsSpool({ sink, redis: connection, prefix, log });
  spools.push(s);
  return { spool: s, connection };
}

beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'results-spool-'));
  prefix = `spool${randomUUID().slice(0, 8)}`;
});
afterEach(async () => {
  for (const s of spools.splice(0)) s.stop();
  for (const c of connections.splice(0)) c.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('results spool', () => {
  it('several writers, two rows in flight each: every row committed exactly once, in sessions that carry several writers’ rows', async () => {
    const table = new DuckDbResultsSink(path.join(dir, 'results.duckdb'));
    const sink = counted(table);
    const writers = Array.from({ length: 3 }, () => spool(sink));
    const perWriter = 20;
    const answers: string[] = [];
    await Promise.all(
      writers.flatMap((w, wi) =>
        Array.from({ length: 2 }, async (_, lane) => {
          for (let i = lane; i < perWriter; i += 2) answers.push(await w.spool.write(row(`w${wi}-${i}`)));
        }),
      ),
    );
    expect(answers).toHaveLength(3 * perWriter);
    expect(new Set(answers)).toEqual(new Set(['committed']));
    for (let wi = 0; wi < 3; wi++) {
      for (let i = 0; i < perWriter; i++) expect((await table.forRun(`w${wi}-${i}`))?.clipKey).toBe(`episodes/w${wi}-${i}/preview.mp3`);
    }
    expect(await writers[0]!.connection.llen(resultsPendingKey(prefix))).toBe(0);
    // Every row went through a session once, and sessions wrote more than one row each on average.
    expect(sink.sessions.reduce((a, b) => a + b, 0)).toBe(3 * perWriter);
    expect(sink.sessions.length).toBeLessThan(3 * perWriter);
    await table.close();
  });

  it('a row written twice (a retried job) is one row, the later one', async () => {
    const table = new DuckDbResultsSink(path.join(dir, 'results.duckdb'));
    const { spool: s } = spool(table);
    await Promise.all([s.write(row('twice', { score: 1 })), s.write(row('twice', { score: 2 }))]);
    expect((await table.forRun('twice'))?.score).toBe(2);
    expect((await table.finishedSince(0, 10)).filter((r) => r.runId === 'twice')).toHaveLength(1);
    await table.close();
  });

  it('rows a dead process left in the list are written by the next process’s leftover pass', async () => {
    const table = new DuckDbResultsSink(path.join(dir, 'results.duckdb'));
    const { spool: s, connection } = spool(table);
    await connection.lpush(resultsPendingKey(prefix), JSON.stringify(row('orphan-1')), JSON.stringify(row('orphan-2')), 'not json');
    expect(await s.flushLeftovers()).toBe(2);
    expect(await table.forRun('orphan-1')).toBeDefined();
    expect(await table.forRun('orphan-2')).toBeDefined();
    expect(await connection.llen(resultsPendingKey(prefix))).toBe(0);
    await table.close();
  });

  it('a table it cannot have: the write answers `kept` and the row waits in Redis until a session writes it', async () => {
    const dbPath = path.join(dir, 'results.duckdb');
    const closed = new DuckDbResultsSink(dbPath);
    await closed.close();
    const { spool: down, connection } = spool(closed);
    expect(await down.write(row('waits'))).toBe('kept');
    expect(await connection.llen(resultsPendingKey(prefix))).toBe(1);
    const table = new DuckDbResultsSink(dbPath);
    expect(await table.forRun('waits')).toBeUndefined();
    const { spool: up } = spool(table);
    expect(await up.flushLeftovers()).toBe(1);
    expect((await table.forRun('waits'))?.status).toBe('succeeded');
    expect(await connection.llen(resultsPendingKey(prefix))).toBe(0);
    await table.close();
  });
});

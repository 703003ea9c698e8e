import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, ResultRow, ResultRowSource, SessionResultsSink } from '@podpreview/shared';
import { type RedisConnection, resultsCommittedChannel, resultsPendingKey, subscribe as subscribeTo } from '@podpreview/runs';

export interface ResultsSpoolOptions {
  sink: SessionResultsSink;
  /** A worker connection: it waits through a Redis restart instead of failing. */
  redis: RedisConnection;
  prefix: string;
  log: Logger;
  /** Rows per transaction at most. @defaultValue 500 */
  maxBatch?: number;
}

export interface ResultsSpool {
  /**
   * Resolves once the row is committed (`committed`), or, when the table could not be had
   * (`kept`), with the row still waiting in Redis for the next session. Rejects only when Redis
   * did not take the row.
   */
  write(row: ResultRow): Promise<'committed' | 'kept'>;
  /** Writes rows left waiting (a process that died between its push and the commit); how many. */
  flushLeftovers(): Promise<number>;
  stop(): void;
}

/**
 * How long after another process's commit announcement this one assumes that session still
 * runs: a bit longer than a session waits for rows before it closes (LINGER_IDLE_MS in
 * results.duckdb.ts), so the holder's lingering still counts as running.
 */
const OTHER_SESSION_ACTIVE_MS = 25;

interface Waiter {
  runId: string;
  resolve: (how: 'committed' | 'kept') => void;
}

/**
 * An embedded results table is held by one process at a time, and opening it costs far more
 * than a commit, so with several processes each writing its own one or two rows per open, the
 * opens are the ceiling. Here every row first goes to one Redis list; whichever process gets
 * the table writes everybody's waiting rows, batch after batch, and announces the run ids it
 * committed; the others, told so while they wait for the lock, never open the file.
 *
 * Each write still resolves only once its row is committed (a run's row is readable the moment
 * its job completes), and a row leaves the list only after its commit: a process that dies
 * in between leaves it there for the next session, and writing it twice is harmless (upsert
 * by run id). Only the session holding the table takes rows off the list's tail, while others
 * push at its head, so the tail it read is the tail it trims.
 */
export function createResultsSpool(o: ResultsSpoolOptions): ResultsSpool {
  const key = resultsPendingKey(o.prefix);
  const channel = resultsCommittedChannel(o.prefix);
  const maxBatch = o.maxBatch ?? 500;
  const waiting = new Map<string, Waiter[]>();
  /** This spool in the commit announcements, so it can tell its own from other processes'. */
  const self = randomUUID();
  let otherSessionAt = Number.NEGATIVE_INFINITY;
  let subscriber: { close(): void } | undefined;
  let stopped = false;
  let subscribed: Promise<unknown> | undefined;

  const settle = (runIds: Iterable<string>, how: 'committed' | 'kept') => {
    for (const id of runIds) {
      for (const w of waiting.get(id) ?? []) w.resolve(how);
      waiting.delete(id);
    }
  };

  const subscribe = () => {
    subscribed ??= subscribeTo(o.redis, channel, (message) => {
      try {
        const { from, runIds } = JSON.parse(message) as { from: string; runIds: string[] };
        if (from !== self) otherSessionAt = performance.now();
        settle(runIds, 'committed');
      } catch {
        // A malformed message resolves nothing: those writers learn it from their own session.
      }
    }).then(
      (sub) => {
        // Stopped while subscribing: nothing is left to hear.
        if (stopped) sub.close();
        else subscriber = sub;
      },
      // Without the subscription writes still complete, through sessions of their own.
      (err: unknown) => o.log.warn({ err: String(err) }, 'results spool: no commit announcements'),
    );
    return subscribed;
  };

  /** One session's source; `wanted` says whether anything still waits for this process. */
  const source = (wanted: () => boolean): ResultRowSource => {
    // Entries the last take read off the tail (unreadable ones included): what its commit trims.
    let read = 0;
    const take = async (): Promise<readonly ResultRow[]> => {
      // Only writers whose push was answered before this read: if the list is empty, theirs are committed.
      const before = [...waiting.keys()];
      const raw = await o.redis.lrange(key, -maxBatch, -1);
      read = raw.length;
      if (raw.length === 0) settle(before, 'committed');
      // The tail is the oldest end: oldest first, so a later row for the same run wins.
      const rows = raw.reverse().flatMap((r) => parseRow(r) ?? []);
      if (rows.length < raw.length) o.log.error({ dropped: raw.length - rows.length }, 'results spool: dropping unreadable rows');
      if (rows.length === 0 && raw.length > 0) {
        await o.redis.ltrim(key, 0, -raw.length - 1);
        return take();
      }
      return rows;
    };
    return {
      wanted,
      take,
      committed: async (rows) => {
        if (read > 0) await o.redis.ltrim(key, 0, -read - 1);
        read = 0;
        const ids = [...new Set(rows.map((r) => r.runId))];
        settle(ids, 'committed');
        await o.redis.publish(channel, JSON.stringify({ from: self, runIds: ids }));
      },
    };
  };

  /** Another process's session committed rows a moment ago: it is still writing, ours included. */
  const otherSessionActive = () => performance.now() - otherSessionAt < OTHER_SESSION_ACTIVE_MS;
  const flush = async (): Promise<void> => {
    while (waiting.size > 0) {
      if (otherSessionActive()) {
        // Knocking on the lock meanwhile costs a failed open each time, for nothing.
        await sleep(OTHER_SESSION_ACTIVE_MS);
        continue;
      }
      try {
        await o.sink.writeFrom(source(() => waiting.size > 0 && !otherSessionActive()));
      } catch (err) {
        // A session that failed after its writers were answered (Redis closing at shutdown) leaves nobody waiting.
        if (waiting.size === 0) break;
        o.log.error({ err: err instanceof Error ? err.message : String(err), rows: waiting.size }, 'results table unavailable: rows wait in Redis');
        settle([...waiting.keys()], 'kept');
      }
    }
  };
  let flushing: Promise<void> | undefined;
  const kick = () => {
    if (flushing) return;
    flushing = flush().finally(() => {
      flushing = undefined;
      // A write that registered while the last session was closing.
      if (waiting.size > 0) kick();
    });
  };

  return {
    write: async (row) => {
      await subscribe();
      await o.redis.lpush(key, JSON.stringify(row));
      const done = new Promise<'committed' | 'kept'>((resolve) => {
        waiting.set(row.runId, [...(waiting.get(row.runId) ?? []), { runId: row.runId, resolve }]);
      });
      kick();
      return done;
    },
    flushLeftovers: async () => {
      if ((await o.redis.llen(key)) === 0) return 0;
      // Wanted for the first open attempt only: if the lock is taken, its holder writes them.
      let asks = 0;
      return o.sink.writeFrom(source(() => asks++ === 0));
    },
    stop: () => {
      stopped = true;
      subscriber?.close();
    },
  };
}

function parseRow(raw: string): ResultRow | undefined {
  try {
    const row = JSON.parse(raw) as Partial<ResultRow>;
    return typeof row.runId === 'string' && typeof row.episodeId === 'string' && typeof row.status === 'string' ? (row as ResultRow) : undefined;
  } catch {
    return undefined;
  }
}

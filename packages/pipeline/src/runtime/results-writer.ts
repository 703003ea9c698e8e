import { deadLetterKey, type RedisConnection } from '@podpreview/runs';
import { type Logger, type ResultRow, type ResultsSink, takesSessions } from '@podpreview/shared';
import { pipelineMetrics } from './metrics.ts';
import { createResultsSpool } from './results-spool.ts';

export interface ResultsWriter {
  /** Writes the row, or keeps it in Redis when the results table is down: never throws it away. */
  write(row: ResultRow): Promise<void>;
  /** Writes kept rows while the table takes them; returns how many went through. */
  drain(): Promise<number>;
  stop(): void;
}

export interface ResultsWriterOptions {
  results: ResultsSink;
  /** A worker connection: it waits through a Redis restart instead of failing. */
  redis: RedisConnection;
  prefix: string;
  log: Logger;
  retryMs: number;
  /** Bound on kept rows; past it the oldest are dropped, each logged and counted. */
  maxKept: number;
}

/**
 * The results table is the record of every run, failures included, so a row it cannot take
 * (BigQuery or the database file unavailable) goes to a Redis list and is written by whichever
 * worker drains it next. Writes are upserts by run id (BigQuery: insertId per run and outcome),
 * so a row written twice by two drainers is still one row.
 *
 * A table one process holds at a time (the embedded file) takes rows through a spool
 * (results-spool.ts): every process's rows in one session, instead of a session per process.
 */
export function createResultsWriter(o: ResultsWriterOptions): ResultsWriter {
  const key = deadLetterKey(o.prefix);
  const spool = takesSessions(o.results) ? createResultsSpool({ sink: o.results, redis: o.redis, prefix: o.prefix, log: o.log }) : undefined;
  const keep = async (row: ResultRow, err: unknown) => {
    const kept = await o.redis.lpush(key, JSON.stringify(row));
    if (kept > o.maxKept) {
      await o.redis.ltrim(key, 0, o.maxKept - 1);
      o.log.error({ kept, max: o.maxKept }, 'dead-letter list full: oldest result rows dropped');
    }
    pipelineMetrics.deadLettered.inc();
    o.log.error(
      { runId: row.runId, episodeId: row.episodeId, err: err instanceof Error ? err.message : String(err) },
      'results table unavailable: row kept in Redis',
    );
  };
  let draining = false;
  const drain = async (): Promise<number> => {
    if (draining) return 0;
    draining = true;
    let written = 0;
    try {
      for (;;) {
        const raw = await o.redis.lindex(key, -1);
        if (raw === null) break;
        const row = parseKept(raw);
        if (row) {
          try {
            await o.results.write(row);
          } catch {
            break; // still down: try again on the next tick
          }
          written++;
        } else {
          o.log.error({ raw: raw.slice(0, 200) }, 'dropping an unreadable dead-lettered result row');
        }
        await o.redis.lrem(key, -1, raw);
      }
      if (written > 0) o.log.info({ written }, 'wrote dead-lettered result rows');
      return written;
    } finally {
      draining = false;
    }
  };
  const timer = setInterval(() => {
    drain().catch((err: unknown) => o.log.warn({ err: String(err) }, 'draining dead-lettered result rows failed'));
    spool?.flushLeftovers().catch((err: unknown) => o.log.warn({ err: String(err) }, 'writing rows left in the results spool failed'));
  }, o.retryMs);
  timer.unref();
  return {
    write: async (row) => {
      if (spool) {
        // Redis did not take the row: the table directly, below.
        const how = await spool.write(row).catch(() => undefined);
        if (how === 'committed') return;
        // Kept (the table could not be had): also on the dead-letter list, which ops count and
        // alert on; written from both, it is still one row.
        if (how === 'kept') return keep(row, new Error('results table unavailable'));
      }
      try {
        await o.results.write(row);
      } catch (err) {
        await keep(row, err);
      }
    },
    drain,
    stop: () => {
      clearInterval(timer);
      spool?.stop();
    },
  };
}

function parseKept(raw: string): ResultRow | undefined {
  try {
    const row = JSON.parse(raw) as Partial<ResultRow>;
    return typeof row.runId === 'string' && typeof row.episodeId === 'string' && typeof row.status === 'string' ? (row as ResultRow) : undefined;
  } catch {
    return undefined;
  }
}

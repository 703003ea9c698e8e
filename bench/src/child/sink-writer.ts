// One "worker process" writing result rows as fast as its jobs would: `rows` rows, `concurrency`
// at a time, into the shared DuckDB file through the same writer the stage workers use (its Redis
// spool included), starting at `startAtMs` (epoch; so that several writers start together, their
// start-up left out). Prints {"startedAtMs": …, "endedAtMs": …}.
import { randomUUID } from 'node:crypto';
import { createRedis } from '@podpreview/runs';
import { createResultsWriter } from '@podpreview/pipeline/worker';
import { createLogger, type ResultRow } from '@podpreview/shared';
import { DuckDbResultsSink } from '@podpreview/storage';

const [dbPath, redisUrl, rowsArg, concurrencyArg, tag, startAtArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const concurrency = Number(concurrencyArg);
const table = new DuckDbResultsSink(dbPath!);
const redis = createRedis(redisUrl!, 'worker');
const sink = createResultsWriter({ results: table, redis, prefix: 'bench-sink', log: createLogger('warn'), retryMs: 60_000, maxKept: 100_000 });
const row = (i: number): ResultRow => ({
  runId: `${tag}-${i}-${randomUUID()}`,
  episodeId: `ep-${tag}-${i}`,
  contentHash: 'a'.repeat(64),
  status: 'succeeded',
  previewStartSec: 12.3,
  previewEndSec: 72.3,
  durationSec: 1800,
  speechFraction: 0.9,
  score: 1.2,
  path: 'transcript',
  clipKey: `episodes/ep-${tag}-${i}/run/preview.mp3`,
  failedStage: null,
  errorClass: null,
  errorCode: null,
  errorMessage: null,
  stageTimingsMs: { preprocess: 1000, 'ensemble-a': 3000, 'ensemble-b': 50, selection: 20, sink: 300 },
  models: [{ id: 'silero-vad', version: '6.2+batched' }],
  modelStats: null,
  enqueuedAtMs: Date.now(),
  finishedAtMs: Date.now(),
  latencyMs: 4000,
  build: 'bench',
  variant: 'production',
});
// The results file's SDK loads at a process's first session (start-up, not the sink's speed).
await import('@duckdb/node-api');
const lateMs = Date.now() - Number(startAtArg);
if (lateMs > 0) process.stderr.write(`writer ${tag} started ${lateMs} ms late\n`);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAtArg) - Date.now())));
// Later than asked when start-up took longer than the lead the bench gave: the bench then counts from the latest start.
const startedAtMs = Date.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < rows) await sink.write(row(next++));
  }),
);
const endedAtMs = Date.now();
sink.stop();
redis.disconnect();
await table.close();
process.stdout.write(`${JSON.stringify({ startedAtMs, endedAtMs })}\n`);
process.exit(0);

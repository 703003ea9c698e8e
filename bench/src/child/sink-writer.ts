// One "worker process" writing result rows as fast as its jobs would: `rows` rows, `concurrency`
// at a time, into the shared DuckDB file, starting at `startAtMs` (epoch; so that several
// writers start together, their start-up left out). Prints {"endedAtMs": …}.
import { randomUUID } from 'node:crypto';
import { DuckDbResultsSink } from '@podpreview/storage';
import type { ResultRow } from '@podpreview/shared';

const [dbPath, rowsArg, concurrencyArg, tag, startAtArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const concurrency = Number(concurrencyArg);
const sink = new DuckDbResultsSink(dbPath!);
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
  models: [{ id: 'silero-vad', version: '6.2' }],
  modelStats: null,
  enqueuedAtMs: Date.now(),
  finishedAtMs: Date.now(),
  latencyMs: 4000,
  build: 'bench',
  variant: 'production',
});
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAtArg) - Date.now())));
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < rows) await sink.write(row(next++));
  }),
);
const endedAtMs = Date.now();
await sink.close();
process.stdout.write(`${JSON.stringify({ endedAtMs })}\n`);
process.exit(0);

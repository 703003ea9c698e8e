import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { expandInputs } from '@podpreview/producer/inputs';
import { createLogger, EnqueueRequest, loadConfig, STAGE_NAMES } from '@podpreview/shared';
import { BENCH_WAIT } from './figures/common.ts';

/**
 * `npm run bench:pipeline`: the sample episodes plus long synthetic episodes (samples looped
 * to 5 and 30 minutes) through every stage in one process on a private Redis. Prints per-stage
 * processing time, end-to-end latency, real-time factor, event-loop delay and peak RSS.
 * Episodes run one after another, so the figures are per episode, not contended.
 */
const samplesDir = fileURLToPath(new URL('../../samples', import.meta.url));
const work = await mkdtemp(path.join(tmpdir(), 'podpreview-bench-'));
const config = loadConfig({
  PODPREVIEW_DATA_DIR: path.join(work, 'data'),
  LOG_LEVEL: 'warn',
  PODPREVIEW_EXECUTION_PROVIDER: 'cpu',
  PODPREVIEW_INPUT_ROOTS: `${samplesDir},${work}`,
});
const log = createLogger('warn', { app: 'bench' });

function loop(file: string, minutes: number): string {
  const out = path.join(work, `${path.basename(file, path.extname(file))}-${minutes}min.mp3`);
  execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-stream_loop',
    '-1',
    '-i',
    file,
    '-t',
    String(minutes * 60),
    '-c:a',
    'libmp3lame',
    '-b:a',
    '48k',
    out,
  ]);
  return out;
}

const requests: EnqueueRequest[] = [
  ...(await expandInputs([samplesDir], { force: true })),
  EnqueueRequest.parse({ id: 'synthetic-5min', audioUri: loop(path.join(samplesDir, 'interview.mp3'), 5), force: true }),
  EnqueueRequest.parse({ id: 'synthetic-30min', audioUri: loop(path.join(samplesDir, 'news-brief.mp3'), 30), force: true }),
];

const pipeline = await startLocalPipeline(config, log);
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const table = new Table({ head: ['episode', 'audio', ...STAGE_NAMES.map((s) => `${s} ms`), 'latency', 'RTF'], style: { head: [], border: [] } });
try {
  for (const req of requests) {
    const receipt = await enqueueEpisode(pipeline.fleet.queues, config, req);
    const [status] = await waitForRuns(pipeline.fleet.queues, [receipt.runId], { ...BENCH_WAIT, timeoutMs: 10 * 60_000 });
    const row = await pipeline.fleet.services.results.forRun(receipt.runId);
    if (!row || status!.state !== 'succeeded') throw new Error(`${req.id}: ${status!.state} ${status!.reason ?? ''}`);
    const processingMs = Object.values(row.stageTimingsMs).reduce((a, b) => a + (b ?? 0), 0);
    table.push([
      req.id,
      `${(row.durationSec! / 60).toFixed(1)} min`,
      ...STAGE_NAMES.map((s) => String(row.stageTimingsMs[s] ?? '-')),
      `${(row.latencyMs / 1000).toFixed(2)} s`,
      (processingMs / 1000 / row.durationSec!).toFixed(4),
    ]);
  }
} finally {
  clearInterval(rssTimer);
  lag.disable();
  await pipeline.stop();
  await rm(work, { recursive: true, force: true });
}
process.stdout.write(`${table.toString()}\n`);
process.stdout.write(`RTF = summed stage processing time / audio duration (lower is faster).\n`);
process.stdout.write(
  `event loop delay: max ${(lag.max / 1e6).toFixed(0)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms (lock renewal needs < ${config.lockDurationMs / 2} ms)\n`,
);
process.stdout.write(`peak RSS (all five stages in one process): ${(peakRss / 2 ** 20).toFixed(0)} MiB\n`);

// Distinct 5-minute episodes through a warm fleet in one process: one after another and all at
// once, in the order `first` (sequential | concurrent) says. Prints both wall times.
import path from 'node:path';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { createLogger, EnqueueRequest, loadConfig } from '@podpreview/shared';
import { BENCH_WAIT } from '../figures/common.ts';

const [first, workDir, ...files] = process.argv.slice(2);
const config = loadConfig({
  PODPREVIEW_DATA_DIR: path.join(workDir!, 'data-conc'),
  PODPREVIEW_INPUT_ROOTS: path.dirname(files[0]!),
  PODPREVIEW_EXECUTION_PROVIDER: 'cpu',
  LOG_LEVEL: 'warn',
});
const pipeline = await startLocalPipeline(config, createLogger('warn'));
const q = pipeline.fleet.queues;
const run = async (tag: string, file: string, i: number) =>
  (await enqueueEpisode(q, config, EnqueueRequest.parse({ id: `${tag}-${i}`, audioUri: file, force: true }))).runId;
const check = (ss: { state: string; reason?: string }[]) => {
  for (const s of ss) if (s.state !== 'succeeded') throw new Error(`run ${s.state}: ${s.reason}`);
};
check(await waitForRuns(q, [await run('warm', files[0]!, 0)], BENCH_WAIT));
async function sequential(): Promise<number> {
  const t0 = performance.now();
  for (const [i, f] of files.entries()) check(await waitForRuns(q, [await run('seq', f, i)], BENCH_WAIT));
  return (performance.now() - t0) / 1000;
}
async function concurrent(): Promise<number> {
  const t0 = performance.now();
  const ids = [];
  for (const [i, f] of files.entries()) ids.push(await run('con', f, i));
  check(await waitForRuns(q, ids, BENCH_WAIT));
  return (performance.now() - t0) / 1000;
}
let sequentialSec: number;
let concurrentSec: number;
if (first === 'concurrent') {
  concurrentSec = await concurrent();
  sequentialSec = await sequential();
} else {
  sequentialSec = await sequential();
  concurrentSec = await concurrent();
}
await pipeline.stop();
process.stdout.write(`${JSON.stringify({ sequentialSec, concurrentSec })}\n`);
process.exit(0);

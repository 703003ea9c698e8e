// One 30-minute episode, in one process: the stage functions called one after another (no
// queues; stage A begun while preprocess decodes, as in the pipeline), and the same stages
// through the pipeline on Redis (enqueue → result, workers warm), `repeats` times each,
// alternating which goes first. With a transcript (4th argument), stage B's
// text models run too. Prints the times and this process's peak RSS.
import path from 'node:path';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { createHandlers, createServices, earlyStageAFor, startLocalPipeline } from '@podpreview/pipeline/worker';
import { createLogger, EnqueueRequest, loadConfig, parseStageInput, STAGES, type StageName } from '@podpreview/shared';
import { BENCH_WAIT } from '../figures/common.ts';

const [audio, repeatsArg, workDir, transcript] = process.argv.slice(2);
const repeats = Number(repeatsArg);
const config = loadConfig({
  PODPREVIEW_DATA_DIR: path.join(workDir!, 'data'),
  PODPREVIEW_INPUT_ROOTS: path.dirname(audio!),
  PODPREVIEW_EXECUTION_PROVIDER: 'cpu',
  LOG_LEVEL: 'warn',
});
const log = createLogger('warn', { app: 'bench' });

const services = createServices(config, log);
const names = STAGES.map((s) => s.name);
// Stage A begun while preprocess decodes, as the queued path on its private Redis does: the
// difference between the two is then the queues' alone.
const early = earlyStageAFor({ ...config, earlyStageA: { ...config.earlyStageA, mode: 'on' } }, names, services, {});
const handlers = await createHandlers(names, services, early ? { early } : {});

/** Seconds per stage of each in-process run: where the compute goes (the profile behind the figures). */
const stageSec: Record<string, number[]> = {};
const queuedStageSec: Record<string, number[]> = {};
const record = (into: Record<string, number[]>, stage: string, sec: number) => {
  into[stage] = [...(into[stage] ?? []), sec];
};

async function direct(runId: string): Promise<number> {
  const t0 = performance.now();
  let stage: StageName = 'preprocess';
  let input: unknown = parseStageInput('preprocess', {
    v: 1,
    runId,
    episodeId: 'bench-direct',
    enqueuedAtMs: Date.now(),
    priority: false,
    force: true,
    timingsMs: {},
    audioUri: audio,
    ...(transcript ? { transcriptUri: transcript } : {}),
  });
  for (;;) {
    const handler = handlers[stage] as (i: unknown, c: { signal: AbortSignal }) => Promise<{ kind: 'next' | 'done'; payload?: object }>;
    const s0 = performance.now();
    const outcome = await handler(input, { signal: new AbortController().signal });
    record(stageSec, stage, (performance.now() - s0) / 1000);
    const next = STAGES.find((s) => s.name === stage)!.next;
    if (outcome.kind === 'done' || !next) break;
    input = parseStageInput(next, { ...outcome.payload, timingsMs: {} });
    stage = next;
  }
  return (performance.now() - t0) / 1000;
}

const pipeline = await startLocalPipeline(config, log);
const queued = async (i: number): Promise<number> => {
  const t0 = performance.now();
  const { runId } = await enqueueEpisode(
    pipeline.fleet.queues,
    config,
    EnqueueRequest.parse({ id: `bench-queued-${i}`, audioUri: audio, force: true, ...(transcript ? { transcriptUri: transcript } : {}) }),
  );
  const [s] = await waitForRuns(pipeline.fleet.queues, [runId], { ...BENCH_WAIT, timeoutMs: 600_000 });
  if (s!.state !== 'succeeded') throw new Error(`run ${s!.state}: ${s!.reason}`);
  const wall = (performance.now() - t0) / 1000;
  const row = await services.results.forRun(runId);
  for (const [k, ms] of Object.entries(row?.stageTimingsMs ?? {})) record(queuedStageSec, k, ms / 1000);
  return wall;
};

// Warm-up: models loaded, code compiled, caches filled, for both paths.
await direct('bench-warm');
await queued(-1);
for (const k of Object.keys(stageSec)) stageSec[k] = [];
for (const k of Object.keys(queuedStageSec)) queuedStageSec[k] = [];
const directSec: number[] = [];
const queuedSec: number[] = [];
for (let i = 0; i < repeats; i++) {
  if (i % 2 === 0) {
    directSec.push(await direct(`bench-direct-${i}`));
    queuedSec.push(await queued(i));
  } else {
    queuedSec.push(await queued(i));
    directSec.push(await direct(`bench-direct-${i}`));
  }
}
await pipeline.stop();
await services.close();
process.stdout.write(`${JSON.stringify({ directSec, queuedSec, stageSec, queuedStageSec, maxRssMib: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exit(0);

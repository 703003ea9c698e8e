// Priority under a backlog: a warm fleet in this process (every stage, default concurrency) and
// the HTTP API beside it. A priority episode is submitted through the API on an idle fleet, and
// again with `backlog` normal episodes queued ahead of it; its latency (POST to succeeded) both
// ways, `repeats` times, alternating which comes first. The backlog is drained after each
// loaded measurement, so the figure stays bounded in time. Prints the latencies.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { enqueueEpisode, startPrivateRedis, waitForRuns } from '@podpreview/runs';
import { startFleet } from '@podpreview/pipeline/worker';
import { startApiServer } from '@podpreview/producer/serve';
import { createLogger, EnqueueRequest, loadConfig, STAGE_NAMES } from '@podpreview/shared';
import { BENCH_WAIT } from '../figures/common.ts';

const [audio, backlogArg, repeatsArg, workDir] = process.argv.slice(2);
const backlog = Number(backlogArg);
const repeats = Number(repeatsArg);
const redis = await startPrivateRedis();
const config = loadConfig({
  REDIS_URL: redis.url,
  PODPREVIEW_DATA_DIR: path.join(workDir!, 'data-priority'),
  PODPREVIEW_INPUT_ROOTS: path.dirname(audio!),
  PODPREVIEW_EXECUTION_PROVIDER: 'cpu',
  PODPREVIEW_HTTP_HOST: '127.0.0.1',
  PODPREVIEW_HTTP_PORT: '0',
  LOG_LEVEL: 'warn',
});
const log = createLogger('warn', { app: 'bench' });
const fleet = await startFleet(config, redis.url, [...STAGE_NAMES], log);
const api = await startApiServer(config);
const q = fleet.queues;

let submitted = 0;
/** Each priority run's stage seconds (work, not waits), idle and loaded: where its latency went. */
const stageSec: { idle: Record<string, number>[]; loaded: Record<string, number>[] } = { idle: [], loaded: [] };
/** Seconds from the POST to the run's success. */
async function priorityLatency(phase?: 'idle' | 'loaded'): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${api.url}/v1/episodes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: `urgent-${submitted++}`, audioUri: audio, priority: true, force: true }),
  });
  if (!res.ok) throw new Error(`POST /v1/episodes: ${res.status} ${await res.text()}`);
  const { runId } = (await res.json()) as { runId: string };
  const [s] = await waitForRuns(q, [runId], { ...BENCH_WAIT, timeoutMs: 600_000 });
  if (s?.state !== 'succeeded') throw new Error(`priority run ${s?.state}: ${s?.reason}`);
  const seconds = (performance.now() - t0) / 1000;
  const row = await fleet.services.results.forRun(runId);
  if (phase) stageSec[phase].push(Object.fromEntries(Object.entries(row?.stageTimingsMs ?? {}).map(([k, ms]) => [k, ms / 1000])));
  return seconds;
}

/** Waiting and prioritized jobs removed from every stage, then the active ones let finish. */
async function drain(): Promise<void> {
  for (;;) {
    await Promise.all(STAGE_NAMES.map((s) => q[s].drain(true)));
    const counts = await Promise.all(STAGE_NAMES.map((s) => q[s].getJobCounts('active', 'waiting', 'prioritized', 'delayed')));
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
    await sleep(100);
  }
}

async function loadedLatency(round: number): Promise<{ seconds: number; aheadAtSubmit: number }> {
  for (let i = 0; i < backlog; i++) {
    await enqueueEpisode(q, config, EnqueueRequest.parse({ id: `normal-${round}-${i}`, audioUri: audio, force: true }));
  }
  // Let the fleet get busy: every stage with work in hand, as a real backlog has.
  await sleep(3000);
  const ahead = await q.preprocess.getJobCounts('waiting', 'prioritized');
  const seconds = await priorityLatency('loaded');
  await drain();
  return { seconds, aheadAtSubmit: (ahead.waiting ?? 0) + (ahead.prioritized ?? 0) };
}

await priorityLatency(); // warm-up: models loaded, code compiled
const idleSec: number[] = [];
const loadedSec: number[] = [];
const aheadAtSubmit: number[] = [];
for (let i = 0; i < repeats; i++) {
  const loaded = async () => {
    const r = await loadedLatency(i);
    loadedSec.push(r.seconds);
    aheadAtSubmit.push(r.aheadAtSubmit);
  };
  if (i % 2 === 0) {
    idleSec.push(await priorityLatency('idle'));
    await loaded();
  } else {
    await loaded();
    idleSec.push(await priorityLatency('idle'));
  }
}
await api.close();
await fleet.stop();
await redis.stop();
process.stdout.write(`${JSON.stringify({ idleSec, loadedSec, aheadAtSubmit, stageSec })}\n`);
process.exit(0);

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { createRedis, enqueueEpisode, latestRunKey, runStateKey, startPrivateRedis } from '@podpreview/runs';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { createLogger, EnqueueRequest, loadConfig, STAGE_NAMES } from '@podpreview/shared';
import { makeEpisode, SAMPLES_DIR } from './figures/common.ts';

/**
 * `npm run bench:redis [episodes] [minutes]`: what one episode costs Redis, for the capacity
 * plan (infra/README.md). A private redis-server, every stage's worker in this process,
 * `episodes` episodes (default 40 of the 42-second sample; with `minutes`, that sample looped to
 * that length, to see what length changes) enqueued at once; INFO commandstats, network and memory counters are read before and after.
 * Runs are awaited through the results table, not Redis, so polling adds nothing to the count.
 * The idle cost (BullMQ's blocking waits, stalled-job checks, lock renewals) is measured on
 * the same fleet with nothing to do and reported apart.
 */
const EPISODES = Number(process.argv[2] ?? 40);
const MINUTES = process.argv[3] ? Number(process.argv[3]) : undefined;
const IDLE_SEC = 10;
const samplesDir = SAMPLES_DIR;
const work = await mkdtemp(path.join(tmpdir(), 'podpreview-bench-redis-'));
const redis = await startPrivateRedis();
const config = loadConfig({
  REDIS_URL: redis.url,
  PODPREVIEW_DATA_DIR: path.join(work, 'data'),
  LOG_LEVEL: 'warn',
  PODPREVIEW_EXECUTION_PROVIDER: 'cpu',
  PODPREVIEW_INPUT_ROOTS: `${samplesDir},${work}`,
});
const sample = path.join(samplesDir, 'short-note.ogg');
const audio = MINUTES ? makeEpisode(sample, path.join(work, `looped-${MINUTES}min.mp3`), MINUTES * 60) : sample;
const log = createLogger('warn', { app: 'bench' });
const admin = createRedis(redis.url, 'client');

type Counters = { calls: Map<string, number>; netIn: number; netOut: number; memory: number };

async function counters(): Promise<Counters> {
  const [commandstats, stats, memory] = await Promise.all([admin.info('commandstats'), admin.info('stats'), admin.info('memory')]);
  const calls = new Map<string, number>();
  for (const m of commandstats.matchAll(/^cmdstat_(\S+):calls=(\d+)/gm)) calls.set(m[1]!, Number(m[2]));
  const num = (text: string, field: string) => Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { calls, netIn: num(stats, 'total_net_input_bytes'), netOut: num(stats, 'total_net_output_bytes'), memory: num(memory, 'used_memory') };
}

/** after − before, per command; our own INFO/CONFIG calls left out. */
function delta(before: Counters, after: Counters): Map<string, number> {
  const d = new Map<string, number>();
  for (const [cmd, n] of after.calls) {
    if (cmd === 'info' || cmd.startsWith('config')) continue;
    const v = n - (before.calls.get(cmd) ?? 0);
    if (v > 0) d.set(cmd, v);
  }
  return d;
}
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

const pipeline = await startLocalPipeline(config, log);
const request = (id: string) => EnqueueRequest.parse({ id, audioUri: audio });
async function runEpisodes(prefix: string, n: number): Promise<number> {
  const started = performance.now();
  const runIds: string[] = [];
  for (let i = 0; i < n; i++) runIds.push((await enqueueEpisode(pipeline.fleet.queues, config, request(`${prefix}-${i}`))).runId);
  for (const id of runIds) {
    while (!(await pipeline.fleet.services.results.forRun(id))) await new Promise((r) => setTimeout(r, 100));
  }
  return (performance.now() - started) / 1000;
}

// Warm: models loaded, scripts cached in Redis, DuckDB open.
await runEpisodes('warm', 2);

const idle0 = await counters();
await new Promise((r) => setTimeout(r, IDLE_SEC * 1000));
const idle = delta(idle0, await counters());
const idlePerSec = total(idle) / IDLE_SEC;

const before = await counters();
const wallSec = await runEpisodes('measured', EPISODES);
const after = await counters();
const busy = delta(before, after);
const perEpisode = (total(busy) - idlePerSec * wallSec) / EPISODES;

// What stays behind per finished episode: the run record and newest-run key live for
// PODPREVIEW_RUN_STATE_TTL_MS, each queue keeps its last PODPREVIEW_KEEP_COMPLETED_JOBS jobs.
const someRun = (await admin.get(latestRunKey(pipeline.fleet.queues.prefix, 'measured-0'))) ?? '';
const runRecordBytes =
  Number(await admin.call('MEMORY', 'USAGE', runStateKey(pipeline.fleet.queues.prefix, someRun))) +
  Number(await admin.call('MEMORY', 'USAGE', latestRunKey(pipeline.fleet.queues.prefix, 'measured-0')));
const jobHashBytes = await Promise.all(STAGE_NAMES.map(async (s) => Number(await admin.call('MEMORY', 'USAGE', `${config.queuePrefix}:${s}:${someRun}`)) || 0));

const result = {
  measuredAt: new Date().toISOString(),
  episodes: EPISODES,
  episode: `${MINUTES ? `samples/short-note.ogg looped to ${MINUTES} min` : 'samples/short-note.ogg (42 s)'}, all stages in one process, concurrency defaults`,
  wallSec,
  commandsPerEpisode: Math.round(perEpisode),
  commandsPerEpisodeRaw: Math.round(total(busy) / EPISODES),
  idleCommandsPerSecPerProcessOfFiveStages: Math.round(idlePerSec),
  netInBytesPerEpisode: Math.round((after.netIn - before.netIn) / EPISODES),
  netOutBytesPerEpisode: Math.round((after.netOut - before.netOut) / EPISODES),
  usedMemoryDeltaBytesPerEpisode: Math.round((after.memory - before.memory) / EPISODES),
  runRecordBytes,
  completedJobBytesAllStages: jobHashBytes.reduce((a, b) => a + b, 0),
  topCommandsPerEpisode: Object.fromEntries(
    [...busy.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => [k, Number((v / EPISODES).toFixed(1))]),
  ),
};

const table = new Table({ head: ['figure', 'value'] });
table.push(
  ['episodes (at once)', EPISODES],
  ['Redis commands per episode (idle cost removed)', result.commandsPerEpisode],
  ['… including the idle cost during the run', result.commandsPerEpisodeRaw],
  ['idle commands/s, one process with all 5 stages', result.idleCommandsPerSecPerProcessOfFiveStages],
  ['network in / out per episode', `${result.netInBytesPerEpisode} B / ${result.netOutBytesPerEpisode} B`],
  ['used_memory growth per episode (jobs kept + run state)', `${result.usedMemoryDeltaBytesPerEpisode} B`],
  ['run record + newest-run key', `${runRecordBytes} B`],
  ['completed job hashes, all 5 stages', `${result.completedJobBytesAllStages} B`],
);
process.stdout.write(`${table.toString()}\ntop commands per episode: ${JSON.stringify(result.topCommandsPerEpisode)}\n`);
const out = fileURLToPath(new URL(`../results/redis-ops${MINUTES ? `-${MINUTES}min` : ''}.json`, import.meta.url));
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`written to ${path.relative(process.cwd(), out)}\n`);

admin.disconnect();
await pipeline.stop();
await redis.stop();
await rm(work, { recursive: true, force: true });

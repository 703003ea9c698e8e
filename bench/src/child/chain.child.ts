// Orchestration only: N episodes through five hops with trivial stage bodies, once as a raw
// BullMQ chain (a worker per queue that adds to the next) and once through our runtime (the
// same five stage queues, contracts, timeouts, metrics, run records and claim releases), on one
// Redis, concurrency C; `first` (raw | ours) says which runs first. The results table is left out of both (a sink that keeps nothing): the
// raw chain writes no rows either, and the table's own speed is a figure of its own.
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { closeQueues, createQueues, createRedis, jobOptions, startPrivateRedis } from '@podpreview/runs';
import { startStageWorkers } from '@podpreview/pipeline/worker';
import { trivialStageHandlers } from '@podpreview/pipeline/testing';
import { createLogger, loadConfig, type ResultsSink, STAGE_NAMES } from '@podpreview/shared';
import { median } from '../figures/common.ts';

const [nArg, concurrencyArg, workDir, firstArg = 'raw'] = process.argv.slice(2);
const N = Number(nArg);
const C = Number(concurrencyArg);
/** Episodes of each side's untimed warm-up pass. */
const WARM_UP = 1000;
/** Timed pairs (one pass of each side); the figure is the ratio of the two sides' medians. */
const PAIRS = 4;
const redis = await startPrivateRedis();

async function raw(n: number, tag: string): Promise<number> {
  const connection = createRedis(redis.url, 'worker');
  const names = STAGE_NAMES.map((s) => `raw-${s}`);
  const queues = names.map((n) => new Queue(n, { connection, prefix: 'raw' }));
  let finished = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const workerConnections = names.map(() => createRedis(redis.url, 'worker'));
  const workers = names.map(
    (name, i) =>
      new Worker(
        name,
        async (job) => {
          if (i + 1 < names.length) await queues[i + 1]!.add(names[i + 1]!, { ...job.data, hop: i + 1 }, { jobId: job.id!, removeOnComplete: { count: 1000 } });
          else if (++finished === n) done();
          return { ok: true };
        },
        { connection: workerConnections[i]!, prefix: 'raw', concurrency: C },
      ),
  );
  const t0 = performance.now();
  await queues[0]!.addBulk(
    Array.from({ length: n }, (_, i) => ({
      name: names[0]!,
      data: { runId: `raw-${tag}-${i}`, hop: 0 },
      opts: { jobId: `raw-${tag}-${i}`, removeOnComplete: { count: 1000 } },
    })),
  );
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(queues.map((q) => q.close()));
  connection.disconnect();
  for (const c of workerConnections) c.disconnect();
  return n / seconds;
}

async function ours(n: number, tag: string): Promise<number> {
  const config = loadConfig({
    PODPREVIEW_QUEUE_PREFIX: 'ours',
    PODPREVIEW_DATA_DIR: path.join(workDir!, 'data-chain'),
    ...Object.fromEntries(STAGE_NAMES.map((s) => [`PODPREVIEW_CONCURRENCY_${s.replace('-', '_').toUpperCase()}`, String(C)])),
    LOG_LEVEL: 'warn',
  });
  const results: ResultsSink = {
    write: async () => {},
    latestForEpisode: async () => undefined,
    findSucceeded: async () => undefined,
    forRun: async () => undefined,
    finishedSince: async () => [],
    close: async () => {},
  };
  let finished = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const handlers = trivialStageHandlers(() => {
    if (++finished === n) setImmediate(done);
  });
  const workers = await startStageWorkers({ config, redis: redis.url, stages: [...STAGE_NAMES], handlers, results, log: createLogger('warn') });
  const queues = createQueues(createRedis(redis.url, 'client'), config);
  const t0 = performance.now();
  await queues.preprocess.addBulk(
    Array.from({ length: n }, (_, i) => {
      const runId = `ours-run-${tag}-${i}`;
      return {
        name: 'preprocess',
        data: { v: 1, runId, episodeId: `ep-${i}`, enqueuedAtMs: Date.now(), priority: false, force: true, owner: null, timingsMs: {}, audioUri: '/x.mp3' },
        opts: jobOptions(config, runId, false),
      };
    }),
  );
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await workers.stop();
  await closeQueues(queues);
  await results.close();
  return n / seconds;
}

// Both sides run once untimed first: otherwise whichever goes first meets a cold Redis and
// cold code and the other a warm one (measured: the side going first lost 15–40 %). Then timed
// pairs, each side's median taken: on a shared 2-core VM one pair's ratio swung from 0.66 to
// 1.02 between pairs in one process, the median of four pairs by a few percent. Which side goes
// first alternates between pairs, starting with `first`.
await raw(WARM_UP, 'warm');
await ours(WARM_UP, 'warm');
const rawRounds: number[] = [];
const oursRounds: number[] = [];
for (let pair = 0; pair < PAIRS; pair++) {
  const rawFirst = (firstArg === 'raw') === (pair % 2 === 0);
  if (rawFirst) rawRounds.push(await raw(N, `timed-${pair}`));
  oursRounds.push(await ours(N, `timed-${pair}`));
  if (!rawFirst) rawRounds.push(await raw(N, `timed-${pair}`));
}
await redis.stop();
process.stdout.write(`${JSON.stringify({ rawEps: median(rawRounds), oursEps: median(oursRounds), rawRounds, oursRounds })}\n`);
process.exit(0);

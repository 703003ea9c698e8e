// A real worker process for the fault suite: the production wiring (services, stage functions,
// runtime) with two additions, test code only:
// - FAULT_PAUSE_MS: a pause before the stages named in FAULT_PAUSE_STAGES, so a kill -9 from the
//   parent lands mid-job even in stages that take milliseconds;
// - FAULT_KILL_POINTS (`point:probability,…`): the process SIGKILLs itself, with that
//   probability at each pass (seeded by FAULT_SEED), at these points: `blob-write` (a blob write started, the
//   kill a few ms later: mid-write), `results-write` (before, during or right after writing a
//   result row: the last between the row and the run record), `job-failed` (BullMQ has failed
//   the job for good, before anything else of ours runs: between the final job state and the
//   run record). It says where on stderr first.
import { createHandlers, createServices, type StageHandlers, startStageWorkers } from '@podpreview/pipeline/worker';
import { type BlobStore, createLogger, loadConfig, parseStageList, type ResultsSink, redisTargetOf, type StageName } from '@podpreview/shared';

const config = loadConfig();
const stages = parseStageList(process.env.FAULT_STAGES);
const pauseMs = Number(process.env.FAULT_PAUSE_MS ?? 0);
const paused = new Set(parseStageList(process.env.FAULT_PAUSE_STAGES ?? stages.join(',')));
/** `point:probability`, comma-separated. */
const killPoints = new Map(
  (process.env.FAULT_KILL_POINTS ?? '')
    .split(',')
    .filter(Boolean)
    .map((p) => [p.split(':')[0]!, Number(p.split(':')[1] ?? 0)] as const),
);
const log = createLogger(config.logLevel, { app: 'fault-worker', pid: process.pid });

/** xorshift32, seeded: a scenario's kills fall the same way for the same seed. */
let seed = (Number(process.env.FAULT_SEED ?? 1) * 2654435761) >>> 0 || 1;
const random = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 2 ** 32;
};
const roll = (point: string) => random() < (killPoints.get(point) ?? 0);
const die = (where: string): never => {
  process.stderr.write(`fault-kill: ${where}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
/** Starts `work`, and dies a moment (0-5 ms) into it. */
const dieDuring = <T>(where: string, work: Promise<T>): Promise<T> => {
  setTimeout(() => die(where), Math.floor(random() * 6));
  return work;
};

function killingBlobs(blobs: BlobStore): BlobStore {
  return new Proxy(blobs, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'put' || prop === 'putFile') {
        return (key: string, data: unknown) => {
          const write = (value as (k: string, d: unknown) => Promise<void>).call(target, key, data);
          return roll('blob-write') ? dieDuring(`blob-write ${key.split('/').pop()}`, write) : write;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

function killingResults(results: ResultsSink): ResultsSink {
  return {
    write: async (row) => {
      if (roll('results-write')) {
        const when = random();
        if (when < 1 / 3) die(`results-write before (${row.status})`);
        if (when < 2 / 3) return dieDuring(`results-write during (${row.status})`, results.write(row));
        await results.write(row);
        die(`results-write after, before the run record (${row.status})`);
      }
      return results.write(row);
    },
    latestForEpisode: (id, v) => results.latestForEpisode(id, v),
    findSucceeded: (id, h, v) => results.findSucceeded(id, h, v),
    forRun: (id) => results.forRun(id),
    finishedSince: (s, l) => results.finishedSince(s, l),
    close: () => results.close(),
  };
}

const real = createServices(config, log);
const services = killPoints.size > 0 ? { ...real, blobs: killingBlobs(real.blobs), results: killingResults(real.results) } : real;
const built = await createHandlers(stages, services);
const handlers: Partial<StageHandlers> = {};
for (const stage of stages) {
  const handler = built[stage] as (input: unknown, ctx: { signal: AbortSignal }) => Promise<unknown>;
  (handlers as Record<StageName, unknown>)[stage] =
    pauseMs > 0 && paused.has(stage)
      ? async (input: unknown, ctx: { signal: AbortSignal }) => {
          await new Promise((r) => setTimeout(r, pauseMs));
          return handler(input, ctx);
        }
      : handler;
}
const running = await startStageWorkers({ config, redis: redisTargetOf(config)!, stages, handlers, results: services.results, log });
// Registered after the runtime's own listener, which has then only started (its first await):
// a kill here lands after BullMQ failed the job and before the run's end is recorded.
for (const worker of running.workers) {
  worker.on('failed', (job, err) => {
    const final =
      err.name === 'UnrecoverableError' || /stalled more than allowable limit/.test(err.message) || (job?.attemptsMade ?? 0) >= (job?.opts.attempts ?? 1);
    if (job && final && roll('job-failed')) die(`job-failed ${worker.name}`);
  });
}
// The parent waits for this line before it acts.
process.stdout.write('ready\n');

import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BlobStore, type Config, type EnqueueRequest, type Logger, redisTargetOf } from '@podpreview/shared';
import {
  closeQueues,
  createQueues,
  connectRedis,
  enqueueEpisode,
  type RunStatus,
  type StageBacklog,
  type StageQueues,
  stageWorkerCount,
  spawnPrivateRedis,
  waitForRuns,
} from '@podpreview/runs';
import { expandInputs, type InputOptions } from './inputs.ts';

export interface EnqueueCommandOptions extends InputOptions {
  wait?: boolean;
  json?: boolean;
  /** With `wait`: give up waiting after this long (the runs go on). */
  timeoutSec?: number;
}

export interface EpisodeOutcome {
  id: string;
  runId: string;
  status: RunStatus['state'];
  previewStart: number | null;
  previewEnd: number | null;
  speechFraction: number | null;
  latencyMs: number | null;
  clipKey: string | null;
  /** The episode was already in flight: this request joined that run. */
  joined: boolean;
  reason?: string;
}

/**
 * `podpreview enqueue`: expands the inputs, enqueues them, and with `wait` follows them to the
 * end. With no Redis configured, or no workers on it, `wait` runs the pipeline in this process.
 */
export async function runEnqueue(inputs: string[], o: EnqueueCommandOptions, config: Config, log: Logger): Promise<EpisodeOutcome[]> {
  return runRequests(await expandInputs(inputs, o), o, config, log);
}

/** Enqueues requests already made (the expanded inputs, or a run being retried), and with `wait` follows them. */
export async function runRequests(requests: EnqueueRequest[], o: EnqueueCommandOptions, config: Config, log: Logger): Promise<EpisodeOutcome[]> {
  // The worker side (models, stage code) loads only when this process must run the pipeline.
  let local: Awaited<ReturnType<typeof startLocal>> | undefined;
  let queues: StageQueues;
  let ownQueues = false;
  const redis = redisTargetOf(config);
  if (!redis && !o.wait) {
    throw new Error('REDIS_URL is not set: point it at the Redis your workers use, or add --wait to run the pipeline in this process');
  }
  if (redis) {
    queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
    ownQueues = true;
    if (o.wait && (await stageWorkerCount(queues.preprocess)) === 0) {
      log.info('no workers are consuming the queues; running the pipeline in this process');
      local = await startLocal(withOperatorRoots(config, requests), log);
    }
  } else {
    local = await startLocal(withOperatorRoots(config, requests), log);
    queues = local.fleet.queues;
  }
  try {
    const receipts: Awaited<ReturnType<typeof enqueueEpisode>>[] = [];
    for (const r of requests) receipts.push(await enqueueEpisode(queues, config, r));
    if (!o.wait) {
      return receipts.map((r) => ({
        id: r.episodeId,
        runId: r.runId,
        status: 'queued',
        previewStart: null,
        previewEnd: null,
        speechFraction: null,
        latencyMs: null,
        clipKey: null,
        joined: r.joined,
      }));
    }
    const bar = o.json
      ? undefined
      : new cliProgress.SingleBar(
          { format: 'previews [{bar}] {value}/{total} episodes | {failed} failed', stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
    bar?.start(receipts.length, 0, { failed: 0 });
    const statuses = await waitForRuns(
      queues,
      receipts.map((r) => r.runId),
      {
        onProgress: (done, s) => bar?.update(done, { failed: s.filter((x) => x.state === 'failed').length }),
        ...(o.timeoutSec ? { timeoutMs: o.timeoutSec * 1000 } : {}),
      },
    );
    bar?.stop();
    return statuses.map((s, i) => ({
      id: receipts[i]!.episodeId,
      runId: s.runId,
      status: s.state,
      previewStart: s.summary?.previewStartSec ?? null,
      previewEnd: s.summary?.previewEndSec ?? null,
      speechFraction: s.summary?.speechFraction ?? null,
      latencyMs: s.summary?.latencyMs ?? null,
      clipKey: s.summary?.clipKey ?? null,
      joined: receipts[i]!.joined,
      ...(s.reason ? { reason: withRootsHint(`${s.failedStage}: ${s.reason}`, requests[i]!) } : {}),
    }));
  } finally {
    if (ownQueues) await closeQueues(queues);
    await local?.stop();
  }
}

/** The directory of a local input (a path or a file:// URI), or null for a remote one. */
function localDir(uri: string | undefined): string | null {
  if (!uri) return null;
  if (/^file:\/\//i.test(uri)) return path.dirname(fileURLToPath(uri));
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? null : path.dirname(path.resolve(uri));
}

/**
 * A pipeline this process runs for its operator may read the files the operator named (on the
 * command line or in their manifest), beside PODPREVIEW_INPUT_ROOTS; workers elsewhere keep
 * their own policy.
 */
function withOperatorRoots(config: Config, requests: EnqueueRequest[]): Config {
  const dirs = requests.flatMap((r) => [localDir(r.audioUri), localDir(r.transcriptUri)]).filter((d): d is string => d !== null);
  return { ...config, inputs: { ...config.inputs, roots: [...new Set([...config.inputs.roots, ...dirs])] } };
}

/** Workers elsewhere refused a local file: say which directory their PODPREVIEW_INPUT_ROOTS lacks. */
function withRootsHint(reason: string, r: EnqueueRequest): string {
  if (!reason.includes('outside PODPREVIEW_INPUT_ROOTS')) return reason;
  const dirs = [...new Set([localDir(r.audioUri), localDir(r.transcriptUri)].filter((d): d is string => d !== null))];
  return dirs.length ? `${reason}; add ${dirs.join(' and ')} to the workers' PODPREVIEW_INPUT_ROOTS` : reason;
}

async function startLocal(config: Config, log: Logger) {
  // A private Redis (none configured) starts while the pipeline's code loads, ~0.1 s each.
  const privateRedis = redisTargetOf(config) ? undefined : (await spawnPrivateRedis()).ready;
  // Its failure is startLocalPipeline's to report.
  privateRedis?.catch(() => undefined);
  let pipeline: typeof import('@podpreview/pipeline/worker');
  try {
    pipeline = await import('@podpreview/pipeline/worker');
  } catch (err) {
    await (await privateRedis?.catch(() => undefined))?.stop();
    throw err;
  }
  // The episodes are queued while the models load: the first one's preprocessing hides the load.
  return pipeline.startLocalPipeline(config, log, { modelsInBackground: true, ...(privateRedis ? { privateRedis } : {}) });
}

const fmt = (x: number | null, digits = 1) => (x === null ? '-' : x.toFixed(digits));

export function outcomeTable(rows: EpisodeOutcome[]): string {
  // No colours: the table is read in CI logs and pasted into issues as often as on terminals.
  const table = new Table({ head: ['episode', 'status', 'preview', 'speech', 'latency', 'note'], style: { head: [], border: [] } });
  for (const r of rows) {
    table.push([
      r.id,
      r.status,
      r.previewStart === null ? '-' : `${fmt(r.previewStart)}–${fmt(r.previewEnd)} s`,
      r.speechFraction === null ? '-' : `${Math.round(r.speechFraction * 100)} %`,
      r.latencyMs === null ? '-' : `${fmt(r.latencyMs / 1000)} s`,
      r.reason ?? '',
    ]);
  }
  return table.toString();
}

/** Where each rendered clip is, one line per episode that has one. */
export function clipLocations(rows: EpisodeOutcome[], blobs: BlobStore): string {
  return rows.flatMap((r) => (r.clipKey ? [`  ${r.id}: ${blobs.uri(r.clipKey)}\n`] : [])).join('');
}

/**
 * What enqueue and retry print: JSON lines (with --json, or without --wait: the queued runs), or
 * the table and where the clips are. Exit code 2 when an episode failed.
 */
export async function printOutcomes(rows: EpisodeOutcome[], o: { json: boolean; wait: boolean }, config: Config): Promise<void> {
  const { createBlobStore } = await import('@podpreview/storage');
  const blobs = createBlobStore(config);
  if (o.json || !o.wait) process.stdout.write(`${outcomeJsonLines(rows, blobs)}\n`);
  else process.stdout.write(`${outcomeTable(rows)}\n${clipLocations(rows, blobs)}`);
  if (rows.some((r) => r.status === 'failed')) process.exitCode = 2;
}

export function backlogTable(rows: StageBacklog[]): string {
  const table = new Table({ head: ['stage', 'waiting', 'active', 'delayed', 'failed', 'completed', 'workers'], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.stage, r.waiting, r.active, r.delayed, r.failed, r.completed, r.workers]);
  return table.toString();
}

/** One JSON object per episode, times in seconds, for scripts; `clip` is where the rendered clip is (file:// or gs://). */
export function outcomeJsonLines(rows: EpisodeOutcome[], blobs: Pick<BlobStore, 'uri'>): string {
  return rows
    .map((r) =>
      JSON.stringify({
        id: r.id,
        runId: r.runId,
        status: r.status,
        previewStart: r.previewStart,
        previewEnd: r.previewEnd,
        speechFraction: r.speechFraction,
        latencyMs: r.latencyMs,
        clip: r.clipKey ? blobs.uri(r.clipKey) : null,
        joined: r.joined,
        ...(r.reason ? { reason: r.reason } : {}),
      }),
    )
    .join('\n');
}

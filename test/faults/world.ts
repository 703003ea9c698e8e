import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { deadLetterKey, type StageQueues } from '@podpreview/runs';
import type { ResultRow, ResultsSink } from '@podpreview/shared';
import { REPO_ROOT } from '../src/harness.ts';
import type { ScenarioResult } from './report.ts';

const FAULT_WORKER = path.join(REPO_ROOT, 'test', 'faults', 'fault-worker.ts');
const WORKER_BIN = path.join(REPO_ROOT, 'apps', 'workers', 'bin', 'podpreview-worker.mjs');

export interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  ready: Promise<void>;
}

/** A fault-suite worker process for `stages`, pausing `pauseMs` before each job (0: none). */
export function startFaultWorker(env: Record<string, string>, stages: string, pauseMs = 0): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', FAULT_WORKER], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, FAULT_STAGES: stages, FAULT_PAUSE_MS: String(pauseMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watch(child);
}

/** The real `podpreview-worker` binary. */
export function startWorkerBin(env: Record<string, string>, stages = 'all'): WorkerProcess {
  const child = spawn(process.execPath, [WORKER_BIN, '--stages', stages], {
    cwd: REPO_ROOT,
    // info: its "workers ready" line is how the suite knows it is up.
    env: { ...process.env, ...env, PODPREVIEW_WORKER_METRICS_PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watch(child);
}

function watch(child: ChildProcess): WorkerProcess {
  const logs: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) resolve();
    });
    child.stderr!.on('data', (b: Buffer) => {
      logs.push(b.toString());
      if (b.toString().includes('"workers ready"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready: ${logs.join('').slice(-2000)}`)));
  });
  ready.catch(() => {});
  return { child, logs, ready };
}

export async function kill9(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGKILL');
  await exited;
}

export async function stop(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  await exited;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The suite's bookkeeping for submissions (joined ones share a run id), from what users get: the
 * results table, not Redis. Every run a submission was answered with must have exactly one
 * terminal row in the table, or sit in the dead-letter list (the table was down: counted as not
 * yet delivered); anything else is lost, whatever Redis says of it. An episode with more than
 * one run, or whose newest row belongs to a run nobody was given, is duplicated.
 */
export async function tally(
  scenario: string,
  queues: StageQueues,
  results: ResultsSink,
  submissions: { episodeId: string; runId: string }[],
  extra: Partial<ScenarioResult> = {},
): Promise<ScenarioResult> {
  const failed: Record<string, number> = {};
  let succeeded = 0;
  let rowsWritten = 0;
  let deadLettered = 0;
  let lost = 0;
  const waiting = await deadLetteredRuns(queues);
  const runsPerEpisode = new Map<string, Set<string>>();
  for (const { episodeId, runId } of submissions) runsPerEpisode.set(episodeId, new Set([...(runsPerEpisode.get(episodeId) ?? []), runId]));
  for (const ids of runsPerEpisode.values()) {
    for (const runId of ids) {
      const row = await results.forRun(runId);
      if (!row) {
        if (waiting.has(runId)) deadLettered++;
        else lost++;
        continue;
      }
      rowsWritten++;
      if (row.status === 'failed' || row.status === 'cancelled') {
        const code = row.errorCode ?? 'unknown';
        failed[code] = (failed[code] ?? 0) + 1;
      } else {
        succeeded++;
      }
    }
  }
  let duplicated = 0;
  for (const [episodeId, ids] of runsPerEpisode) {
    const latest = await results.latestForEpisode(episodeId);
    if (ids.size > 1 || (latest && !ids.has(latest.runId))) duplicated++;
  }
  return { scenario, submitted: submissions.length, rowsWritten, deadLettered, succeeded, failed, lost, duplicated, recoverySec: null, ...extra };
}

/** Runs whose result row waits in Redis for the results table (results-writer.ts). */
async function deadLetteredRuns(queues: StageQueues): Promise<Set<string>> {
  const raw = await queues.redis.lrange(deadLetterKey(queues.prefix), 0, -1);
  return new Set(
    raw.flatMap((r) => {
      try {
        return [(JSON.parse(r) as ResultRow).runId];
      } catch {
        return [];
      }
    }),
  );
}

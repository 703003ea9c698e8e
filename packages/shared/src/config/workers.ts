import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { STAGE_NAMES, type StageName } from '../stages.ts';
import { type EnvOf, flag, int, type LoadContext, type Setting, setting } from './setting.ts';

/** How stage jobs are run, retried, resumed after a crash and kept. */
const workerSettingsFixed = {
  PODPREVIEW_ATTEMPTS: setting(int(6, 1), 'attempts per stage job for transient errors'),
  PODPREVIEW_BACKOFF_MS: setting(
    int(2000),
    'first retry delay; doubles each attempt (the default rides out a one-minute outage of storage or the results table)',
  ),
  PODPREVIEW_LOCK_DURATION_MS: setting(int(10_000, 1000), 'job lock, renewed every half of it; a job whose worker died is resumed once it lapses'),
  PODPREVIEW_STALLED_INTERVAL_MS: setting(
    int(5_000, 500),
    "how often workers look for jobs whose lock lapsed (a killed worker's job runs again within lock + this)",
  ),
  PODPREVIEW_MAX_STALLED_COUNT: setting(int(2, 1), 'times a job may lose its worker (kill, OOM) before its run fails with `worker_lost`'),
  PODPREVIEW_STAGE_TIMEOUT_MS: setting(
    int(900_000, 1000),
    'a stage job running longer is aborted (its ffmpeg killed) and retried; `stage_timeout` when attempts run out',
  ),
  PODPREVIEW_TEMP_DIR: setting(z.string().min(1).optional(), "workers' scratch files (downloads, clip rendering)", '`$TMPDIR/podpreview`'),
  PODPREVIEW_TEMP_MAX_AGE_MS: setting(
    int(3_600_000, 60_000),
    'scratch entries older than this (left by a killed worker) are swept at start and hourly; must exceed the stage timeout',
  ),
  PODPREVIEW_SHUTDOWN_GRACE_MS: setting(int(30_000), 'time in-flight jobs get to finish on SIGTERM'),
  PODPREVIEW_WORKER_METRICS_PORT: setting(int(9464), '`podpreview-worker` serves `/metrics` (Prometheus) and `/healthz` here; `0` turns it off'),
  PODPREVIEW_WORKER_METRICS_HOST: setting(
    z.string().min(1).default('127.0.0.1'),
    "address those bind (no credential is asked): `0.0.0.0` where probes and scrapers reach the pod's address (infra/)",
  ),
  PODPREVIEW_FAILED_JOB_SWEEP_MS: setting(
    int(30_000, 1000),
    'how often a worker looks for failed jobs of its stages whose run has no record of its end (a worker died in between) and records it',
  ),
  PODPREVIEW_PRIORITY_LANE: setting(
    flag(true),
    "each stage worker process keeps one more worker per stage for priority jobs, woken when one is queued, and holds back starting normal jobs while a priority job runs in the process (so a priority episode behind a backlog waits for no normal job's slot)",
  ),
  PODPREVIEW_PRIORITY_HOLD_MS: setting(
    int(30_000, 1),
    'the longest normal jobs are held back for priority jobs in a process: past it they start again even while priority jobs keep coming',
  ),
  PODPREVIEW_PRIORITY_HOLD_BETWEEN_MS: setting(
    int(100),
    "how long normal jobs stay held after a priority job ends in a process whose lanes include the run's next stage (that lane takes it within milliseconds); `0` lets them start between the stages",
  ),
  PODPREVIEW_KEEP_COMPLETED_JOBS: setting(int(1000), 'completed jobs kept per queue (for Bull Board; run status does not need them)'),
  PODPREVIEW_KEEP_FAILED_JOBS: setting(int(5000), 'failed jobs kept per queue'),
  PODPREVIEW_EARLY_STAGE_A: setting(
    z.enum(['auto', 'on', 'off']).default('auto'),
    "in a process that runs both `preprocess` and `ensemble-a`, stage A begins while an episode decodes: the front end's models (sed-mini, voice-embed) run on the audio as ffmpeg writes it, and the episode's stage-A job reads the audio from memory, not storage. `auto`: only where the process is its queues' only consumer (`enqueue --wait` and the demo on their private Redis); `on`: in every such process (with several, an episode's stage-A job may go to another one and the early work is lost); `off`: never",
  ),
  PODPREVIEW_EARLY_STAGE_A_KEEP_MS: setting(
    int(60_000, 1000),
    "how long an episode's audio and early tracks wait in memory for its stage-A job (behind a backlog) before they are dropped and the job reads storage",
  ),
  PODPREVIEW_QUEUE_METRICS_MAX_POINTS: setting(
    int(1440, 60),
    "per-minute completed and failed counts BullMQ keeps for each queue (its workers' `metrics` option; read by `Queue.getMetrics`), a day by default",
  ),
};

const concurrencyDefaults: Record<StageName, number> = {
  preprocess: 2,
  'ensemble-a': 1,
  'ensemble-b': 2,
  selection: 4,
  sink: 2,
};

const concurrencyVar = (stage: StageName) => `PODPREVIEW_CONCURRENCY_${stage.replace('-', '_').toUpperCase()}`;

const concurrencySettings: Record<string, Setting<ReturnType<typeof int>>> = Object.fromEntries(
  STAGE_NAMES.map((s, i) => [
    concurrencyVar(s),
    setting(int(concurrencyDefaults[s], 1), i === 0 ? `jobs one worker process runs at once in \`${s}\`` : `… in \`${s}\``),
  ]),
);

export const workerSettings = { ...workerSettingsFixed, ...concurrencySettings };

export interface WorkerConfig {
  attempts: number;
  backoffMs: number;
  /** A job whose worker died is resumed within lockDurationMs + stalledIntervalMs. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Stalls (worker killed mid-job) a job survives before its run fails. */
  maxStalledCount: number;
  /** A stage job running longer is aborted (its child processes killed) and retried. */
  stageTimeoutMs: number;
  /** Workers' scratch files; entries older than tempMaxAgeMs are swept (left by a killed worker). */
  tempDir: string;
  tempMaxAgeMs: number;
  shutdownGraceMs: number;
  /** Worker /metrics and /healthz; 0 turns the endpoint off. */
  workerMetricsPort: number;
  /** Address they bind: loopback unless a scraper elsewhere needs them (no credential is asked). */
  workerMetricsHost: string;
  /** How often a worker looks for failed jobs of its stages whose run has no record of its end (a worker died in between). */
  failedJobSweepMs: number;
  keepCompletedJobs: number;
  keepFailedJobs: number;
  /** Per-minute completed/failed counts BullMQ's workers keep per queue (Queue.getMetrics); 1440 is a day. */
  queueMetricsMaxPoints: number;
  concurrency: Record<StageName, number>;
  /** A priority lane per stage, and normal starts held while priority jobs run (PODPREVIEW_PRIORITY_LANE). */
  priorityLane: boolean;
  priorityHoldMs: number;
  /** How long the hold outlasts a priority job, for the same run's next stage (PODPREVIEW_PRIORITY_HOLD_BETWEEN_MS). */
  priorityHoldBetweenMs: number;
  /** Stage A begun while preprocess decodes, in a process that runs both (PODPREVIEW_EARLY_STAGE_A). */
  earlyStageA: { mode: 'auto' | 'on' | 'off'; keepMs: number };
}

export function workerConfig(e: EnvOf<typeof workerSettingsFixed> & Record<string, unknown>, { cwd }: LoadContext): WorkerConfig {
  if (e.PODPREVIEW_TEMP_MAX_AGE_MS <= e.PODPREVIEW_STAGE_TIMEOUT_MS) {
    // The sweeper would delete the scratch files of a stage that is still allowed to run.
    throw new ConfigError('PODPREVIEW_TEMP_MAX_AGE_MS: must exceed PODPREVIEW_STAGE_TIMEOUT_MS');
  }
  return {
    attempts: e.PODPREVIEW_ATTEMPTS,
    backoffMs: e.PODPREVIEW_BACKOFF_MS,
    lockDurationMs: e.PODPREVIEW_LOCK_DURATION_MS,
    stalledIntervalMs: e.PODPREVIEW_STALLED_INTERVAL_MS,
    maxStalledCount: e.PODPREVIEW_MAX_STALLED_COUNT,
    stageTimeoutMs: e.PODPREVIEW_STAGE_TIMEOUT_MS,
    tempDir: path.resolve(cwd, e.PODPREVIEW_TEMP_DIR ?? path.join(os.tmpdir(), 'podpreview')),
    tempMaxAgeMs: e.PODPREVIEW_TEMP_MAX_AGE_MS,
    shutdownGraceMs: e.PODPREVIEW_SHUTDOWN_GRACE_MS,
    workerMetricsPort: e.PODPREVIEW_WORKER_METRICS_PORT,
    workerMetricsHost: e.PODPREVIEW_WORKER_METRICS_HOST,
    failedJobSweepMs: e.PODPREVIEW_FAILED_JOB_SWEEP_MS,
    keepCompletedJobs: e.PODPREVIEW_KEEP_COMPLETED_JOBS,
    keepFailedJobs: e.PODPREVIEW_KEEP_FAILED_JOBS,
    queueMetricsMaxPoints: e.PODPREVIEW_QUEUE_METRICS_MAX_POINTS,
    concurrency: Object.fromEntries(STAGE_NAMES.map((s) => [s, e[concurrencyVar(s)]])) as Record<StageName, number>,
    priorityLane: e.PODPREVIEW_PRIORITY_LANE === 'true',
    priorityHoldMs: e.PODPREVIEW_PRIORITY_HOLD_MS,
    priorityHoldBetweenMs: e.PODPREVIEW_PRIORITY_HOLD_BETWEEN_MS,
    earlyStageA: { mode: e.PODPREVIEW_EARLY_STAGE_A, keepMs: e.PODPREVIEW_EARLY_STAGE_A_KEEP_MS },
  };
}

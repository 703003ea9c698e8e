import { errorClass, errorCode, errorMessage, type ResultRow, type StageName } from '@podpreview/shared';
import type { TerminalFields } from './outcome.ts';

/** A run's end as a stage knows it; the worker process adds its build and its variant (endRun). */
export type EndedRow = Omit<ResultRow, 'build' | 'variant'>;

interface RunFacts {
  runId: string;
  episodeId: string;
  enqueuedAtMs: number;
  timingsMs: Record<string, number>;
  owner?: string | null | undefined;
}

export function terminalRow(run: RunFacts, result: TerminalFields, nowMs: number): EndedRow {
  return {
    ...result,
    runId: run.runId,
    episodeId: run.episodeId,
    failedStage: null,
    errorClass: null,
    errorCode: null,
    errorMessage: null,
    stageTimingsMs: run.timingsMs,
    enqueuedAtMs: run.enqueuedAtMs,
    finishedAtMs: nowMs,
    latencyMs: nowMs - run.enqueuedAtMs,
    ...(run.owner !== undefined ? { owner: run.owner } : {}),
  };
}

/**
 * Built from whatever the failed job carried: its payload may itself be the problem, so every
 * field is read defensively.
 */
export function failureRow(stage: StageName, jobId: string, data: unknown, err: unknown, nowMs: number): EndedRow {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const enqueuedAtMs = num(d.enqueuedAtMs) ?? nowMs;
  const timings = d.timingsMs && typeof d.timingsMs === 'object' ? (d.timingsMs as Record<string, number>) : {};
  return {
    runId: str(d.runId) ?? jobId,
    episodeId: str(d.episodeId) ?? 'unknown',
    contentHash: str(d.contentHash),
    status: 'failed',
    previewStartSec: null,
    previewEndSec: null,
    durationSec: num(d.durationSec),
    speechFraction: null,
    score: null,
    path: d.path === 'transcript' || d.path === 'asr' || d.path === 'audio-only' ? d.path : null,
    clipKey: null,
    failedStage: stage,
    errorClass: errorClass(err),
    errorCode: failureCode(err),
    errorMessage: errorMessage(err),
    stageTimingsMs: timings,
    models: Array.isArray(d.models) ? (d.models as ResultRow['models']) : [],
    modelStats: d.modelStats && typeof d.modelStats === 'object' ? (d.modelStats as ResultRow['modelStats']) : null,
    enqueuedAtMs,
    finishedAtMs: nowMs,
    latencyMs: nowMs - enqueuedAtMs,
  };
}

/**
 * BullMQ fails a job that stalled more than maxStalledCount times from a Lua script, with
 * nothing but this message to tell it by: the job's workers kept dying under it (OOM, kills).
 */
const STALLED_TOO_OFTEN = /stalled more than allowable limit/;

function failureCode(err: unknown): string {
  return err instanceof Error && STALLED_TOO_OFTEN.test(err.message) ? 'worker_lost' : errorCode(err);
}

/** A client cancelled the run; the stage named is the one that would have run next. */
export function cancelledRow(stage: StageName, jobId: string, data: unknown, nowMs: number): EndedRow {
  return {
    ...failureRow(stage, jobId, data, null, nowMs),
    status: 'cancelled',
    errorClass: null,
    errorCode: 'cancelled',
    errorMessage: 'cancelled by a client',
  };
}

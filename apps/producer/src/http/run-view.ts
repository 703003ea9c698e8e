import { codeOfReason, type RunStatus as PipelineRunStatus, type StageState } from '@podpreview/runs';
import type { ResultRow, StageName } from '@podpreview/shared';
import type { ClipLocation, PublicResult, Run, RunStatus, StageStatus } from './api.schemas.ts';

/**
 * The product's words for where a run and its stages are, from the queue library's job states.
 * Clients switch on these; BullMQ's (`prioritized`, `waiting-children`, …) never reach them.
 */
export function stageStatus(s: StageState): StageStatus {
  switch (s) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'queued';
    case 'active':
      return 'running';
    case 'delayed':
      return 'retrying';
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    default:
      return 'pending';
  }
}

/** `unknown` (no record, no job) is answered as 404 before it gets here; a run in doubt is queued. */
export function runStatusOf(s: PipelineRunStatus['state']): RunStatus {
  return s === 'unknown' ? 'queued' : s;
}

/** Builds a clip's location for a run, or null when the run has no clip. */
export type ClipLocator = (episodeId: string, runId: string, clipKey: string | null) => Promise<ClipLocation | null>;

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** A run as the queues and its Redis record describe it, the result row filling in what they no longer hold. */
export async function runView(episodeId: string, s: PipelineRunStatus, row: ResultRow | undefined, clip: ClipLocator): Promise<Run> {
  if (row && (s.state === 'unknown' || s.state === 'queued')) return rowView(row, clip);
  const o = s.summary;
  const enqueuedAtMs = s.enqueuedAtMs ?? row?.enqueuedAtMs;
  const latencyMs = o?.latencyMs ?? row?.latencyMs ?? null;
  const failed = s.state === 'failed';
  return {
    runId: s.runId,
    episodeId,
    status: runStatusOf(s.state),
    stages: Object.fromEntries(Object.entries(s.stages).map(([k, v]) => [k, stageStatus(v)])) as Partial<Record<StageName, StageStatus>>,
    enqueuedAt: iso(enqueuedAtMs),
    finishedAt: row ? iso(row.finishedAtMs) : latencyMs !== null && enqueuedAtMs !== undefined ? iso(enqueuedAtMs + latencyMs) : null,
    latencyMs,
    preview: o ? { startSec: o.previewStartSec, endSec: o.previewEndSec, speechFraction: o.speechFraction } : row ? previewOf(row) : null,
    clip: await clip(episodeId, s.runId, o?.clipKey ?? row?.clipKey ?? null),
    failedStage: failed ? (s.failedStage ?? row?.failedStage ?? null) : null,
    // The code only: messages carry paths and tool output meant for operators.
    errorCode: failed ? (row?.errorCode ?? s.errorCode ?? codeOfReason(s.reason)) : s.state === 'cancelled' ? 'cancelled' : null,
    cancelRequested: s.cancelRequested === true || s.state === 'cancelled',
    variant: s.variant,
  };
}

/** A run only the results table still knows (its Redis state expired). */
export async function rowView(row: ResultRow, clip: ClipLocator): Promise<Run> {
  return {
    runId: row.runId,
    episodeId: row.episodeId,
    status: row.status,
    stages: {},
    enqueuedAt: iso(row.enqueuedAtMs),
    finishedAt: iso(row.finishedAtMs),
    latencyMs: row.latencyMs,
    preview: previewOf(row),
    clip: await clip(row.episodeId, row.runId, row.clipKey),
    failedStage: row.failedStage,
    errorCode: row.errorCode,
    cancelRequested: row.status === 'cancelled',
    variant: row.variant,
  };
}

function previewOf(row: ResultRow): Run['preview'] {
  return row.previewStartSec === null ? null : { startSec: row.previewStartSec, endSec: row.previewEndSec, speechFraction: row.speechFraction };
}

export function publicResult(row: ResultRow): PublicResult {
  const { errorMessage: _message, errorClass: _class, owner: _owner, ...rest } = row;
  return rest;
}

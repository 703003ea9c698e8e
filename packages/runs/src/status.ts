import { Job } from 'bullmq';
import { isEnded, JobSummary, type ResultStatus, type RunStateName, STAGES, type StageName, type VariantName } from '@podpreview/shared';
import type { StageQueues } from './queues.ts';
import type { RunRecord } from './run-record.ts';

/** A run's state as clients see it, or `unknown`: no record and no job (never submitted, or expired). */
export type RunState = RunStateName | 'unknown';
export type StageState = 'absent' | 'waiting' | 'prioritized' | 'active' | 'delayed' | 'completed' | 'failed' | 'waiting-children' | 'unknown';

export interface RunStatus {
  runId: string;
  /** Known from the run's record (absent once it expired). */
  episodeId?: string;
  state: RunState;
  stages: Record<StageName, StageState>;
  failedStage?: StageName;
  /** Operators' words: the failure's code and internal message (paths, tool output). Never shown to clients. */
  reason?: string;
  /** The failure's stable code alone (what clients may see): `internal` where the failure carries none. */
  errorCode?: string;
  /** The run's outcome, once it has ended well. */
  summary?: Extract<JobSummary, { status: Exclude<ResultStatus, 'failed'> }>;
  /** A client asked to cancel the run and it has not ended yet. */
  cancelRequested?: boolean;
  /** When the run was enqueued, where known (its run record). */
  enqueuedAtMs?: number;
  /** The variant whose queues run it. */
  variant: VariantName;
  /** The fallback variant's run it was handed to, if it was. */
  fallbackRunId?: string;
  /** Who may read it under PODPREVIEW_API_TENANCY=owner (its record's owner and readers), where known. */
  owner?: string;
  readers?: string[];
}

/**
 * A run's state. The run record (written at enqueue and at the end) answers once the run has
 * ended, even after BullMQ has trimmed its jobs; until then the jobs (one per stage, all named
 * by the run id) say where it is. A run this variant does not know is looked for among its
 * fallback variant's (handed over, or routed there): one more read, for unknown ids only.
 */
export async function runStatus(queues: StageQueues, runId: string): Promise<RunStatus> {
  const own = await variantRunStatus(queues, runId);
  if (own.state !== 'unknown' || !queues.fallback) return own;
  const there = await variantRunStatus(queues.fallback, runId);
  return there.state === 'unknown' ? own : there;
}

async function variantRunStatus(queues: StageQueues, runId: string): Promise<RunStatus> {
  const [record, read] = await Promise.all([
    queues.runs.read(runId),
    // One round of Redis calls per stage, all at once: --wait and the API poll this.
    Promise.all(
      STAGES.map(async (spec) => {
        // State first, details second: a job read before its state is could have ended in
        // between, and would then look failed without a reason or completed without a result.
        const s = (await queues[spec.name].getJobState(runId)) as StageState;
        const job = s === 'failed' || s === 'completed' ? await Job.fromId(queues[spec.name], runId) : undefined;
        return { spec, s, job };
      }),
    ),
  ]);
  const stages = Object.fromEntries(read.map(({ spec, s }) => [spec.name, s === 'unknown' ? 'absent' : s])) as Record<StageName, StageState>;
  const known = {
    variant: record?.variant ?? queues.variant,
    ...(record
      ? {
          episodeId: record.episodeId,
          enqueuedAtMs: record.enqueuedAtMs,
          ...(record.fallbackRunId ? { fallbackRunId: record.fallbackRunId } : {}),
          ...(record.cancelRequested && record.state === 'queued' ? { cancelRequested: true } : {}),
          ...tenancy(record),
        }
      : {}),
  };
  if (record && record.state !== 'queued') return { runId, stages, ...known, ...ended(record) };

  let state: RunState = 'unknown';
  let failedStage: StageName | undefined;
  let reason: string | undefined;
  let errorCode: string | undefined;
  let summary: RunStatus['summary'];
  for (const { spec, s, job } of read) {
    if (s === 'unknown') continue;
    // Parsed, not cast: a summary written by another version of the workers must not be misread.
    const parsed = s === 'completed' ? JobSummary.safeParse(job?.returnvalue) : undefined;
    const rv = parsed?.success ? parsed.data : null;
    if (s === 'failed') {
      state = 'failed';
      failedStage = spec.name;
      reason = job?.failedReason;
      errorCode = codeOfReason(reason);
    } else if (s === 'completed' && rv && rv.status !== 'forwarded') {
      state = rv.status;
      summary = rv;
    } else if (s === 'active') {
      state = 'running';
    } else if (s !== 'completed' && state === 'unknown') {
      state = 'queued';
    } else if (s === 'completed' && state === 'unknown') {
      state = 'running'; // forwarded; the next stage's job decides
    }
  }
  // Recorded at enqueue but no job yet: the first add is a moment away.
  if (state === 'unknown' && record) state = 'queued';
  return {
    runId,
    state,
    stages,
    ...known,
    ...(failedStage ? { failedStage, reason, errorCode: errorCode ?? 'internal' } : {}),
    ...(summary ? { summary } : {}),
  };
}

/**
 * For listings: an ended run from its record alone (no stage jobs read, so `stages` is empty),
 * a live one as runStatus sees it. One Redis call per ended run instead of a dozen.
 */
export async function runStatusForListing(queues: StageQueues, runId: string): Promise<RunStatus | undefined> {
  const record = await queues.runs.read(runId);
  if (!record) return queues.fallback ? runStatusForListing(queues.fallback, runId) : undefined;
  if (record.state === 'queued') return variantRunStatus(queues, runId);
  return {
    runId,
    episodeId: record.episodeId,
    enqueuedAtMs: record.enqueuedAtMs,
    variant: record.variant ?? queues.variant,
    ...(record.fallbackRunId ? { fallbackRunId: record.fallbackRunId } : {}),
    ...tenancy(record),
    stages: {} as RunStatus['stages'],
    ...ended(record),
  };
}

const tenancy = (record: RunRecord): Pick<RunStatus, 'owner' | 'readers'> => ({
  ...(record.owner ? { owner: record.owner } : {}),
  ...(record.readers?.length ? { readers: record.readers } : {}),
});

/**
 * A failed job's code, before its run record has it: bad input is failed as `code: message`
 * (RejectedInputError); anything else (retries ran out on an error of ours, a stalled job) is
 * `internal` until the record says more. Never a piece of the message itself.
 */
export function codeOfReason(reason: string | undefined): string {
  return /^([a-z][a-z0-9_]{1,63}): /.exec(reason ?? '')?.[1] ?? 'internal';
}

function ended(record: RunRecord): Pick<RunStatus, 'state' | 'failedStage' | 'reason' | 'errorCode' | 'summary'> {
  const o = record.outcome;
  if (record.state === 'failed') {
    return {
      state: 'failed',
      ...(o?.failedStage ? { failedStage: o.failedStage } : {}),
      ...(o ? { reason: `${o.errorCode}: ${o.errorMessage}` } : {}),
      errorCode: o?.errorCode ?? 'internal',
    };
  }
  const status = record.state as Exclude<ResultStatus, 'failed'>;
  return {
    state: status,
    ...(o
      ? {
          summary: {
            status,
            previewStartSec: o.previewStartSec,
            previewEndSec: o.previewEndSec,
            speechFraction: o.speechFraction,
            latencyMs: o.latencyMs,
            clipKey: o.clipKey,
          },
        }
      : {}),
  };
}

export const isTerminal = (s: RunState) => isEnded(s);

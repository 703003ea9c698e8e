import { Job } from 'bullmq';
import { JobSummary, STAGES, type StageName } from '@podpreview/shared';
import type { StageQueues } from './queues.ts';

export type RunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'deduplicated' | 'unknown';
export type StageState = 'absent' | 'waiting' | 'prioritized' | 'active' | 'delayed' | 'completed' | 'failed' | 'waiting-children' | 'unknown';

export interface RunStatus {
  runId: string;
  state: RunState;
  stages: Record<StageName, StageState>;
  failedStage?: StageName;
  reason?: string;
  /** The terminal stage's summary, once the run has ended well. */
  summary?: Extract<JobSummary, { status: 'succeeded' | 'deduplicated' }>;
}

/** Reads a run's state from its jobs (one per stage, all named by the run id). */
export async function runStatus(queues: StageQueues, runId: string): Promise<RunStatus> {
  const stages = {} as Record<StageName, StageState>;
  let state: RunState = 'unknown';
  let failedStage: StageName | undefined;
  let reason: string | undefined;
  let summary: RunStatus['summary'];
  // One round of Redis calls per stage, all at once: --wait and the API poll this.
  const read = await Promise.all(
    STAGES.map(async (spec) => {
      // State first, details second: a job read before its state is could have ended in
      // between, and would then look failed without a reason or completed without a result.
      const s = (await queues[spec.name].getJobState(runId)) as StageState;
      const job = s === 'failed' || s === 'completed' ? await Job.fromId(queues[spec.name], runId) : undefined;
      return { spec, s, job };
    }),
  );
  for (const { spec, s, job } of read) {
    if (s === 'unknown') {
      stages[spec.name] = 'absent';
      continue;
    }
    stages[spec.name] = s;
    // Parsed, not cast: a summary written by another version of the workers must not be misread.
    const parsed = s === 'completed' ? JobSummary.safeParse(job?.returnvalue) : undefined;
    const rv = parsed?.success ? parsed.data : null;
    if (s === 'failed') {
      state = 'failed';
      failedStage = spec.name;
      reason = job?.failedReason;
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
  return { runId, state, stages, ...(failedStage ? { failedStage, reason } : {}), ...(summary ? { summary } : {}) };
}

export const isTerminal = (s: RunState) => s === 'succeeded' || s === 'failed' || s === 'deduplicated';

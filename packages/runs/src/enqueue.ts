import { randomUUID } from 'node:crypto';
import { type Config, type EnqueueRequest, parseStageInput, type PreprocessInput, RunInFlightDiffersError, type VariantName } from '@podpreview/shared';
import { jobOptions, type StageQueues } from './queues.ts';
import { awaitReplicas } from './redis.ts';
import type { CallbackTarget, RunRecord } from './run-record.ts';
import { isTerminal, runStatus } from './status.ts';
import { announceUrgent } from './urgent.ts';

export interface EnqueueReceipt {
  runId: string;
  episodeId: string;
  /** True when the episode was already in flight and this request joined that run. */
  joined: boolean;
  /** Replicas that had the new run's job when the enqueue returned (PODPREVIEW_ENQUEUE_WAIT_REPLICAS > 0 only). */
  replicas?: number;
  /** The shadow variant's run of the same episode (PODPREVIEW_SHADOW_QUEUE_PREFIX), unless enqueueing it failed. */
  shadowRunId?: string;
  /** The variant whose queues took it: the fallback's for a low-priority episode routed there (PODPREVIEW_FALLBACK_NORMAL_PRIORITY). */
  variant: VariantName;
}

/**
 * Starts a run for one episode. A request for an episode whose run is still in flight joins
 * that run instead of starting another, even when the requests arrive at the same instant
 * (`force` starts anyway); finished episodes are checked for duplicate content by preprocess,
 * once the audio is decoded. With a fallback variant that takes low-priority content, an
 * episode submitted without priority goes to its queues instead. A hand-over to the fallback
 * passes `runId` (named after the run it takes over) and `enqueuedAtMs` (that run's submission,
 * so the fallback's latency counts from it and the answer can tell the two belong together).
 * `owner`: the API credential submitting it (it, and credentials whose identical request joins
 * the run, may read it). A request that would join a run asking for another input or for
 * speech-to-text is refused with RunInFlightDiffersError instead.
 */
export async function enqueueEpisode(
  queues: StageQueues,
  config: Config,
  req: EnqueueRequest,
  nowMs = Date.now(),
  o: { callback?: CallbackTarget; runId?: string; enqueuedAtMs?: number; owner?: string } = {},
): Promise<EnqueueReceipt> {
  if (queues.fallback && config.fallback?.normalPriority && !req.priority) return enqueueEpisode(queues.fallback, config, req, nowMs, o);
  const { redis, runs, variant } = queues;
  const runId = o.runId ?? randomUUID();
  const enqueuedAtMs = o.enqueuedAtMs ?? nowMs;
  const request = {
    audioUri: req.audioUri,
    ...(req.transcriptUri ? { transcriptUri: req.transcriptUri } : {}),
    priority: req.priority,
    ...(req.transcribe ? { transcribe: true } : {}),
  };
  await runs.recordQueued({ runId, episodeId: req.id, enqueuedAtMs, request, variant, ...(o.owner ? { owner: o.owner } : {}) });
  if (req.force) {
    await runs.takeClaim(req.id, runId);
  } else {
    for (;;) {
      const claim = await runs.claimEpisode(req.id, runId);
      if (claim.won) break;
      if (await isLive(queues, claim.holder, nowMs)) {
        await runs.forget(runId);
        const differs = differingFields(request, (await runs.read(claim.holder))?.request);
        if (differs.length > 0) throw new RunInFlightDiffersError(claim.holder, differs);
        if (o.owner) await runs.addReader(claim.holder, o.owner);
        // The run may end between the check and this: the caller checks again (see RunStore.takeCallbacks).
        if (o.callback) await runs.addCallback(claim.holder, o.callback);
        return { runId: claim.holder, episodeId: req.id, joined: true, variant };
      }
      // The holder's run is over but its release was lost (a crash): take the claim over now.
      if (await runs.replaceClaim(req.id, claim.holder, runId)) break;
    }
  }
  const payload: PreprocessInput = parseStageInput('preprocess', {
    v: 1,
    runId,
    episodeId: req.id,
    enqueuedAtMs,
    priority: req.priority,
    force: req.force,
    owner: o.owner ?? null,
    timingsMs: {},
    audioUri: req.audioUri,
    ...(req.transcriptUri ? { transcriptUri: req.transcriptUri } : {}),
    ...(req.transcribe ? { transcribe: true } : {}),
  });
  let replicas = 0;
  try {
    if (o.callback) await runs.addCallback(runId, o.callback);
    await runs.recordLatest(req.id, runId, enqueuedAtMs);
    await queues.preprocess.add('preprocess', payload, jobOptions(config, runId, req.priority));
    if (req.priority) await announceUrgent(queues, 'preprocess').catch(() => {});
    replicas = await awaitReplicas(redis, config.enqueueWaitReplicas, config.enqueueWaitTimeoutMs);
  } catch (err) {
    // Nothing was queued: let the next request start a run instead of joining this one.
    await runs.releaseClaim(req.id, runId).catch(() => {});
    throw err;
  }
  const shadowRunId = queues.shadow ? await shadowEnqueue(queues.shadow, config, req, nowMs) : undefined;
  return {
    runId,
    episodeId: req.id,
    joined: false,
    variant,
    ...(config.enqueueWaitReplicas > 0 ? { replicas } : {}),
    ...(shadowRunId ? { shadowRunId } : {}),
  };
}

/**
 * The shadow variant (staging) gets the same episode on its own queues, at normal priority, its
 * own claim and dedup. Best effort: production's answer never waits on, or fails with, staging's;
 * and bounded: while its first queue holds shadowMaxBacklog episodes (its workers stopped or
 * slow), episodes are not shadowed, so a forgotten staging cannot fill production's Redis.
 */
async function shadowEnqueue(shadow: StageQueues, config: Config, req: EnqueueRequest, nowMs: number): Promise<string | undefined> {
  try {
    const c = await shadow.preprocess.getJobCounts('wait', 'prioritized', 'delayed');
    if ((c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) >= config.shadowMaxBacklog) return undefined;
    return (await enqueueEpisode(shadow, { ...config, enqueueWaitReplicas: 0 }, { ...req, priority: false }, nowMs)).runId;
  } catch {
    return undefined;
  }
}

/** What a joining request asks for that the run in flight does not do (its priority aside: the run keeps its own). */
function differingFields(wanted: NonNullable<RunRecord['request']>, running: RunRecord['request']): string[] {
  if (!running) return [];
  return [
    ...(wanted.audioUri !== running.audioUri ? ['audioUri'] : []),
    ...((wanted.transcriptUri ?? null) !== (running.transcriptUri ?? null) ? ['transcriptUri'] : []),
    ...(Boolean(wanted.transcribe) !== Boolean(running.transcribe) ? ['transcribe'] : []),
  ];
}

/**
 * Time between a run's claim and its first job: a holder with a record but no job yet is only
 * taken over once this has passed (its enqueue crashed in between).
 */
const FIRST_JOB_GRACE_MS = 30_000;

/** Whether the run holding an episode's claim is still going (joining it is then right). */
async function isLive(queues: StageQueues, runId: string, nowMs: number): Promise<boolean> {
  const status = await runStatus(queues, runId);
  if (isTerminal(status.state)) return false;
  // No record and no job: the record expired (its run is long over).
  if (status.state === 'unknown') return false;
  const hasJob = Object.values(status.stages).some((s) => s !== 'absent');
  return hasJob || nowMs - (status.enqueuedAtMs ?? 0) < FIRST_JOB_GRACE_MS;
}

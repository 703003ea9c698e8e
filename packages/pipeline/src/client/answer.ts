import { preferredAnswer, type ResultRow, type ResultsSink } from '@podpreview/shared';
import type { StageQueues } from './queues.ts';
import { episodeRunsKey } from './redis.keys.ts';
import { episodeRunIds, latestRunOf, type RunRecord, readRunRecord } from './run-state.ts';
import { type RunStatus, runStatus } from './status.ts';

/** The run that answers for an episode, and where it is. */
export interface EpisodeAnswer {
  runId: string;
  status: RunStatus;
}

/**
 * The run that is an episode's answer (GET /v1/episodes/:id, `podpreview get`, the dashboard):
 * its newest run, or where a fallback variant is configured the newest run of either variant,
 * production's preferred (preferredAnswer: a fallback run answers only while production has no
 * success for that submission). Undefined when Redis no longer knows the episode: the results
 * table answers then (latestResultFor).
 */
export async function episodeAnswer(queues: StageQueues, episodeId: string): Promise<EpisodeAnswer | undefined> {
  const runId = await answeringRunId(queues, episodeId);
  return runId ? { runId, status: await runStatus(queues, runId) } : undefined;
}

/** The id of the episode's answering run (see episodeAnswer). */
export function latestRunFor(queues: StageQueues, episodeId: string): Promise<string | undefined> {
  return answeringRunId(queues, episodeId);
}

async function answeringRunId(queues: StageQueues, episodeId: string): Promise<string | undefined> {
  const own = await latestRunOf(queues.redis, queues.prefix, episodeId);
  if (!queues.fallback) return own;
  const fallbackRunId = await latestRunOf(queues.redis, queues.fallback.prefix, episodeId);
  if (!fallbackRunId) return own;
  const [p, f] = await Promise.all([
    own ? readRunRecord(queues.redis, queues.prefix, own) : undefined,
    readRunRecord(queues.redis, queues.fallback.prefix, fallbackRunId),
  ]);
  const candidate = (r: RunRecord | undefined) => (r ? { runId: r.runId, enqueuedAtMs: r.enqueuedAtMs, state: r.state } : undefined);
  return (preferredAnswer(candidate(p), candidate(f)) ?? { runId: own ?? fallbackRunId }).runId;
}

/**
 * The episode's answer from the results table alone (its runs have left Redis): the newest row
 * of this variant, or by the same preference as episodeAnswer between production's and the
 * fallback's newest rows. Other variants' rows in a shared table (staging's) never answer.
 */
export async function latestResultFor(queues: StageQueues, results: ResultsSink, episodeId: string): Promise<ResultRow | undefined> {
  const own = await results.latestForEpisode(episodeId, [queues.variant]);
  if (!queues.fallback) return own;
  const fallback = await results.latestForEpisode(episodeId, [queues.fallback.variant]);
  const candidate = (r: ResultRow | undefined) => (r ? { row: r, enqueuedAtMs: r.enqueuedAtMs, state: r.status } : undefined);
  return preferredAnswer(candidate(own), candidate(fallback))?.row;
}

/** An episode's runs in this variant and its fallback, newest submission first (of one submission, the fallback's run first). */
export async function episodeRunIdsAllVariants(queues: StageQueues, episodeId: string): Promise<string[]> {
  if (!queues.fallback) return episodeRunIds(queues.redis, queues.prefix, episodeId);
  const scored = async (q: StageQueues, fallback: boolean) => {
    const raw = await q.redis.zrevrange(episodeRunsKey(q.prefix, episodeId), 0, -1, 'WITHSCORES');
    return Array.from({ length: raw.length / 2 }, (_, i) => ({ runId: raw[2 * i]!, atMs: Number(raw[2 * i + 1]), fallback }));
  };
  const all = [...(await scored(queues, false)), ...(await scored(queues.fallback, true))];
  return all.sort((a, b) => b.atMs - a.atMs || Number(b.fallback) - Number(a.fallback)).map((r) => r.runId);
}

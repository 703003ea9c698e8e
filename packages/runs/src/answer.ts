import { type Config, preferredAnswer, type ResultRow, type ResultsSink, type VariantName } from '@podpreview/shared';
import type { StageQueues } from './queues.ts';
import type { RunRecord } from './run-record.ts';
import { type RunStatus, runStatus } from './status.ts';

/** The variants whose runs answer for an episode: this one and, where configured, its fallback. */
export interface AnswerVariants {
  own: VariantName;
  fallback: VariantName | undefined;
}

export const answerVariantsOf = (config: Pick<Config, 'variant' | 'fallback'>): AnswerVariants => ({
  own: config.variant,
  fallback: config.fallback ? 'fallback' : undefined,
});

/**
 * Where an episode's answer is read: Redis while it holds the episode's runs, then the results
 * table. Without Redis (`podpreview get` on a bare machine) the table alone, for these variants.
 */
export type AnswerSources = { results: ResultsSink } & ({ queues: StageQueues } | { queues?: undefined; variants: AnswerVariants });

/** The run that answers for an episode: its state while Redis knows it, and its result row once it has one. */
export interface EpisodeAnswer {
  runId: string;
  /** Undefined once Redis no longer knows the episode: the row alone answers. */
  status: RunStatus | undefined;
  result: ResultRow | undefined;
}

/**
 * The one answer to "what is episode X's preview" (GET /v1/episodes/:id, `podpreview get`, the
 * dashboard's episode page): its newest run, or where a fallback variant is configured the newest
 * run of either variant, production's preferred (preferredAnswer: a fallback run answers only
 * while production has no success for that submission); once Redis no longer knows the episode,
 * the newest row of the results table by the same rule. Undefined: nobody knows the episode.
 */
export async function episodeAnswer(src: AnswerSources, episodeId: string): Promise<EpisodeAnswer | undefined> {
  if (src.queues) {
    const runId = await latestRunFor(src.queues, episodeId);
    if (runId) {
      const [status, result] = await Promise.all([runStatus(src.queues, runId), src.results.forRun(runId)]);
      return { runId, status, result };
    }
  }
  const variants = src.queues ? { own: src.queues.variant, fallback: src.queues.fallback?.variant } : src.variants;
  const row = await latestResultFor(src.results, variants, episodeId);
  return row ? { runId: row.runId, status: undefined, result: row } : undefined;
}

/** The id of the episode's answering run among the runs Redis knows (see episodeAnswer). */
export async function latestRunFor(queues: StageQueues, episodeId: string): Promise<string | undefined> {
  const own = await queues.runs.latestRunOf(episodeId);
  if (!queues.fallback) return own;
  const fallbackRunId = await queues.fallback.runs.latestRunOf(episodeId);
  if (!fallbackRunId) return own;
  const [p, f] = await Promise.all([own ? queues.runs.read(own) : undefined, queues.fallback.runs.read(fallbackRunId)]);
  const candidate = (r: RunRecord | undefined) => (r ? { runId: r.runId, enqueuedAtMs: r.enqueuedAtMs, state: r.state } : undefined);
  return (preferredAnswer(candidate(p), candidate(f)) ?? { runId: own ?? fallbackRunId }).runId;
}

/**
 * The episode's answer from the results table alone (its runs have left Redis): the newest row
 * of this variant, or by the same preference as episodeAnswer between this variant's and the
 * fallback's newest rows. Other variants' rows in a shared table (staging's) never answer.
 */
export async function latestResultFor(results: ResultsSink, variants: AnswerVariants, episodeId: string): Promise<ResultRow | undefined> {
  const own = await results.latestForEpisode(episodeId, [variants.own]);
  if (!variants.fallback) return own;
  const fallback = await results.latestForEpisode(episodeId, [variants.fallback]);
  const candidate = (r: ResultRow | undefined) => (r ? { row: r, enqueuedAtMs: r.enqueuedAtMs, state: r.status } : undefined);
  return preferredAnswer(candidate(own), candidate(fallback))?.row;
}

/** An episode's runs in this variant and its fallback, newest submission first (of one submission, the fallback's run first). */
export async function episodeRunIdsAllVariants(queues: StageQueues, episodeId: string): Promise<string[]> {
  const own = (await queues.runs.episodeRuns(episodeId)).map((r) => ({ ...r, fallback: false }));
  if (!queues.fallback) return own.map((r) => r.runId);
  const there = (await queues.fallback.runs.episodeRuns(episodeId)).map((r) => ({ ...r, fallback: true }));
  return [...own, ...there].sort((a, b) => b.enqueuedAtMs - a.enqueuedAtMs || Number(b.fallback) - Number(a.fallback)).map((r) => r.runId);
}

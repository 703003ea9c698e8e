import { isAnswered, isEnded } from './run-states.ts';

/**
 * The variants one pipeline definition runs as (docs/operations.md, Variants): the same stages with another
 * configuration file. `production` answers episodes; `staging` shadows it with candidate models
 * and never answers; `fallback` runs cheap CPU models only and answers an episode production
 * failed or was late with (or a low-priority one routed to it), until production has an answer.
 */
export const VARIANT_NAMES = ['production', 'staging', 'fallback'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/**
 * Whose succeeded results a variant's dedup may reuse for the same audio. The fallback reuses
 * production's (an answer that already exists needs no cheap copy), but production never reuses
 * the fallback's: its own run must be able to supersede the fallback's answer. Staging only its
 * own, so a comparison is never against production's window.
 */
export const REUSES_RESULTS_OF: Record<VariantName, readonly VariantName[]> = {
  production: ['production'],
  staging: ['staging'],
  fallback: ['production', 'fallback'],
};

/** What deciding an episode's answer needs of a run (a Redis run record or a result row). */
export interface AnswerCandidate {
  enqueuedAtMs: number;
  /** `queued` (also while running), or how it ended. */
  state: string;
}

/**
 * Which of an episode's newest production run and newest fallback run is its answer. A fallback
 * run handed over from a production run carries that run's enqueue time (the same submission):
 * production's success wins whenever it arrives, and the fallback answers while production has
 * none (failed, or still running past its deadline once the fallback has succeeded). Across
 * submissions the newer one is the answer, as it is within one variant.
 */
export function preferredAnswer<T extends AnswerCandidate>(production: T | undefined, fallback: T | undefined): T | undefined {
  if (!fallback) return production;
  if (!production) return fallback;
  if (fallback.enqueuedAtMs !== production.enqueuedAtMs) return fallback.enqueuedAtMs > production.enqueuedAtMs ? fallback : production;
  if (isAnswered(production.state)) return production;
  if (isAnswered(fallback.state)) return fallback;
  return isEnded(production.state) ? fallback : production;
}

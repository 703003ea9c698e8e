import { createHash } from 'node:crypto';
import { HELD_OUT, heldOutTags, type Families } from './families.ts';
import { EPISODE_COUNT, MASTER_SEED, planEvalSet, type EpisodePlan } from './plan.ts';

/**
 * Which episodes a generated set holds: one or more seeded draws of the planner, each with its
 * families. Generator workers re-plan from the same specs, so a spec is all they are sent.
 */
export interface DrawSpec {
  seed: number;
  /** Episodes in the draw; half get a transcript. */
  count: number;
  /** Held-out families of this draw (the rest in-distribution). */
  families?: Partial<Families>;
  idPrefix?: string;
}

/**
 * The frozen test draw's seed: drawn once (2026-12-07) and never looked at episode by episode;
 * `npm run eval -- --frozen` runs it once per change and prints aggregates only.
 */
export const FROZEN_TEST_SEED = 0x7e57_1207;
/** The leave-one-family-out split's default seed (its family draws derive theirs from it). */
export const FAMILY_SPLIT_SEED = 0xfa31_2407;

export const DEFAULT_DRAW: DrawSpec = { seed: MASTER_SEED, count: EPISODE_COUNT };

export function planDraws(draws: readonly DrawSpec[]): EpisodePlan[] {
  const plans = draws.flatMap((d) =>
    planEvalSet(d.count, d.seed, { ...(d.families ? { families: d.families } : {}), ...(d.idPrefix ? { idPrefix: d.idPrefix } : {}) }),
  );
  const ids = new Set(plans.map((p) => p.id));
  if (ids.size !== plans.length) throw new Error('two draws plan episodes with the same id: give them distinct idPrefix values');
  return plans;
}

/** The in-distribution draw: `perPath` episodes with a transcript and as many without. */
export function inDistributionDraw(seed: number, perPath: number): DrawSpec[] {
  return [{ seed, count: 2 * perPath }];
}

/** One draw per held-out family, `perPath` episodes a path each, seeds derived from `seed`. */
export function familySplitDraws(seed: number, perPath: number): DrawSpec[] {
  return HELD_OUT.map((h, i) => ({
    seed: (seed ^ Math.imul(i + 1, 0x85eb_ca6b)) >>> 0,
    count: 2 * perPath,
    families: h.families,
    idPrefix: `${heldOutTags({ voices: 'eval', format: 'interview', ads: 'eval', music: 'eval', ...h.families })
      .join('-')
      .replace(/=/g, '-')}-`,
  }));
}

/** A short stable name of a list of draws, for set versions and directories. */
export function drawsKey(draws: readonly DrawSpec[]): string {
  const [only, ...more] = draws;
  const isDefault = more.length === 0 && only?.seed === DEFAULT_DRAW.seed && only.count === DEFAULT_DRAW.count && !only.families;
  return isDefault ? '' : createHash('sha256').update(JSON.stringify(draws)).digest('hex').slice(0, 10);
}

import { chance, intBetween, pick, type Rng } from '@podpreview/synth';
import { SOLO_CLOSINGS, SOLO_OPENINGS, SOLO_SIGNOFFS, SOLO_SUBJECTS, STORY_ASKS, STORY_LEADS, type StoryAd } from './content/heldout.wording.ts';
import type { Speaker } from './labels.ts';
import { fill, type Line, type ShowContext } from './script.ts';

/** The spoken framing of the held-out families: story ad reads and the solo show's intro and outro. */

/** A story read: maybe a lead-in, two or more sentences of the reader's anecdote, then where to buy. */
export function storyAdLines(ctx: ShowContext, ad: StoryAd, reader: Speaker, withLead: boolean, rng: Rng): Line[] {
  const code = `${(ctx.show.replace(/^The /, '').split(' ')[0] ?? 'listener').toLowerCase()} ${intBetween(rng, 2, 9)}`;
  const v = { ...ctx, brand: ad.brand, site: ad.site, code };
  const lines: Line[] = [];
  // The lead is the reader's own first line here, so it belongs to the ad as a mid-roll lead does.
  if (withLead) lines.push({ speaker: reader, text: pick(rng, STORY_LEADS) });
  const told = ad.story.slice(0, Math.max(2, intBetween(rng, 2, ad.story.length)));
  for (const text of told) lines.push({ speaker: reader, text });
  lines.push({ speaker: reader, text: fill(pick(rng, STORY_ASKS), v) });
  return lines;
}

export function soloIntroLines(ctx: ShowContext, rng: Rng): Line[] {
  const lines = [fill(pick(rng, SOLO_OPENINGS), { ...ctx }), fill(pick(rng, SOLO_SUBJECTS), { ...ctx })];
  return lines.map((text) => ({ speaker: 'host', text }));
}

export function soloOutroLines(ctx: ShowContext, rng: Rng): Line[] {
  const lines = [fill(pick(rng, SOLO_CLOSINGS), { ...ctx })];
  if (chance(rng, 0.7)) lines.push(fill(pick(rng, SOLO_SIGNOFFS), { ...ctx }));
  return lines.map((text) => ({ speaker: 'host', text }));
}

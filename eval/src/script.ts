import { chance, intBetween, pick, shuffled, type Rng } from '@podpreview/synth';
import { AD_CALLS, AD_CLOSERS, AD_OPENERS, type Sponsor } from './content/ads.ts';
import { BREAK_LEADS, INTRO_EXTRAS, INTRO_GREETINGS, INTRO_GUESTS, INTRO_SUBJECTS, OUTRO_ASKS, OUTRO_SIGNOFFS, OUTRO_THANKS } from './content/shows.ts';
import type { Speaker } from './labels.ts';

/** The spoken words of intros, ad reads and outros, filled from the phrase pools. */
export interface Line {
  speaker: Speaker;
  text: string;
}

export interface ShowContext {
  show: string;
  host: string;
  guest: string;
  role: string;
  subject: string;
}

/** Replaces `{name}` placeholders; a missing value is a bug in the pools, so it throws. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`no value for {${key}} in "${template}"`);
    return v;
  });
}

/** Greeting, subject, guest, and sometimes a housekeeping line (2-4 sentences, host). */
export function introLines(ctx: ShowContext, rng: Rng): Line[] {
  const v = { ...ctx };
  const lines = [fill(pick(rng, INTRO_GREETINGS), v), fill(pick(rng, INTRO_SUBJECTS), v)];
  if (chance(rng, 0.85)) lines.push(fill(pick(rng, INTRO_GUESTS), v));
  if (chance(rng, 0.4)) lines.splice(1, 0, fill(pick(rng, INTRO_EXTRAS), v));
  return lines.map((text) => ({ speaker: 'host', text }));
}

/** Thanks, a subscribe request, and often a sign-off (2-3 sentences, host). */
export function outroLines(ctx: ShowContext, rng: Rng): Line[] {
  const v = { ...ctx };
  const lines = [fill(pick(rng, OUTRO_THANKS), v), fill(pick(rng, OUTRO_ASKS), v)];
  if (chance(rng, 0.7)) lines.push(fill(pick(rng, OUTRO_SIGNOFFS), v));
  return lines.map((text) => ({ speaker: 'host', text }));
}

/**
 * One ad read: opener, one or two pitch sentences, a call to action, maybe a closer. A
 * mid-roll read may open with the host's lead into the break.
 */
export function adLines(ctx: ShowContext, sponsor: Sponsor, reader: Speaker, withLead: boolean, rng: Rng): Line[] {
  const slug = ctx.show.replace(/^The /, '').toLowerCase();
  const code = (ctx.show.replace(/^The /, '').split(' ')[0] ?? 'podcast') + String(intBetween(rng, 1, 4) * 5 + 5);
  const v = { ...ctx, brand: sponsor.brand, site: sponsor.site, slug, code, offer: sponsor.offer };
  const pitch = shuffled(rng, sponsor.pitch).slice(0, intBetween(rng, 1, sponsor.pitch.length));
  const lines: Line[] = [];
  if (withLead) lines.push({ speaker: 'host', text: fill(pick(rng, BREAK_LEADS), v) });
  lines.push({ speaker: reader, text: fill(pick(rng, AD_OPENERS), v) });
  for (const p of pitch) lines.push({ speaker: reader, text: p });
  lines.push({ speaker: reader, text: fill(pick(rng, AD_CALLS), v) });
  if (chance(rng, 0.6)) lines.push({ speaker: reader, text: fill(pick(rng, AD_CLOSERS), v) });
  return lines;
}

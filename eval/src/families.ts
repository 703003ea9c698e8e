/**
 * The generator's families: which voices, show format, ad wording and instruments an episode
 * is made of. The `eval` value of each is what the generator always drew and what selection was
 * tuned on (and, for voices and instruments, mostly what sed-mini trained on); the held-out
 * values are neither trained on by any model in packages/models/training nor used to tune
 * selection. A leave-one-family-out draw changes one family at a time and keeps the others at
 * `eval`, so each held-out family's figure is that family's effect alone.
 */

export interface Families {
  /** `eval`: eval/src/content/voices.ts; `unheard`: UNHEARD_VOICES. */
  voices: 'eval' | 'unheard';
  /** `interview`: host and guest; `solo`: one voice throughout, framed by its own wording. */
  format: 'interview' | 'solo';
  /** `eval`: the stock ad phrases of content/ads.ts; `story`: the reader's anecdote (content/heldout.wording.ts). */
  ads: 'eval' | 'story';
  /** `eval`: content/music.ts's programs; `unheard`: UNHEARD_PROGRAMS. */
  music: 'eval' | 'unheard';
}

export type FamilyDimension = keyof Families;

export const IN_DISTRIBUTION: Readonly<Families> = { voices: 'eval', format: 'interview', ads: 'eval', music: 'eval' };

/** One held-out family per dimension, each drawn alone in the leave-one-family-out split. */
export const HELD_OUT: readonly { name: string; families: Partial<Families> }[] = [
  { name: 'voices: unheard espeak-ng variants', families: { voices: 'unheard' } },
  { name: 'format: solo show', families: { format: 'solo' } },
  { name: 'ads: story reads', families: { ads: 'story' } },
  { name: 'music: unheard instruments', families: { music: 'unheard' } },
];

export function familiesOf(override: Partial<Families> = {}): Families {
  return { ...IN_DISTRIBUTION, ...override };
}

/** The dimensions where `f` differs from the in-distribution families ("voices=unheard", …). */
export function heldOutTags(f: Families): string[] {
  return (Object.keys(IN_DISTRIBUTION) as FamilyDimension[]).filter((k) => f[k] !== IN_DISTRIBUTION[k]).map((k) => `${k}=${f[k]}`);
}

/**
 * espeak-ng variants no model trained on: `linda`, `max` and `klatt4` are sed-mini's held-out
 * variants (ESPEAK_HELDOUT_VARIANTS in training/audio/sources.py), `adam`, `caleb` and `michel`
 * appear in no training list; none is in samples/ or the in-distribution draws. Accents vary.
 */
export const UNHEARD_VOICES = {
  'us-linda': { engine: 'espeak-ng', name: 'en-us+linda', speed: 160, pitch: 58 },
  'rp-max': { engine: 'espeak-ng', name: 'en-gb-x-rp+max', speed: 155, pitch: 40 },
  'us-klatt4': { engine: 'espeak-ng', name: 'en-us+klatt4', speed: 165, pitch: 50 },
  'scotland-adam': { engine: 'espeak-ng', name: 'en-gb-scotland+adam', speed: 150, pitch: 44 },
  'nyc-caleb': { engine: 'espeak-ng', name: 'en-us-nyc+caleb', speed: 170, pitch: 46 },
  'gb-michel': { engine: 'espeak-ng', name: 'en-gb+michel', speed: 158, pitch: 52 },
} as const;

/** Announcers among the unheard voices (any of them may read an ad). */
export const UNHEARD_ANNOUNCERS = ['us-linda', 'nyc-caleb', 'gb-michel'] as const;

/**
 * General MIDI programs that neither sed-mini's training (HELDOUT_PROGRAMS in
 * training/audio/sources.py) nor the in-distribution music uses: church organ, trumpet, flute,
 * lead saw, banjo. No drums: every kit sound is in training.
 */
export const UNHEARD_PROGRAMS = { keys: [56, 73, 105], pad: [19, 81], bass: [19, 56] } as const;

import { intBetween, pick, type Rng, type Voice } from '@podpreview/synth';
import { bedStyle, themeStyle, type Style } from './content/music.ts';
import { ANNOUNCERS, HOSTS_AND_GUESTS, VOICES } from './content/voices.ts';
import { UNHEARD_ANNOUNCERS, UNHEARD_PROGRAMS, UNHEARD_VOICES, type Families } from './families.ts';

/** What each family value gives the planner and the renderer: voices to cast, music styles. */

export interface Cast {
  hostsAndGuests: readonly string[];
  announcers: readonly string[];
}

export function castOf(f: Families): Cast {
  return f.voices === 'unheard'
    ? { hostsAndGuests: Object.keys(UNHEARD_VOICES), announcers: UNHEARD_ANNOUNCERS }
    : { hostsAndGuests: HOSTS_AND_GUESTS, announcers: ANNOUNCERS };
}

/** A voice key of either family (keys are unique across both). */
export function voiceOf(key: string): Voice | undefined {
  return VOICES[key] ?? (UNHEARD_VOICES as Readonly<Record<string, Voice>>)[key];
}

export interface Styles {
  theme: (rng: Rng) => Style;
  bed: (rng: Rng) => Style;
}

/** The in-distribution style with its instruments swapped for unheard ones (and the kit left out). */
function unheard(style: Style, rng: Rng): Style {
  return {
    ...style,
    keys: pick(rng, UNHEARD_PROGRAMS.keys),
    pad: pick(rng, UNHEARD_PROGRAMS.pad),
    bass: pick(rng, UNHEARD_PROGRAMS.bass),
    drums: 'none',
    bpm: Math.min(style.bpm, intBetween(rng, 84, 126)),
  };
}

export function stylesOf(f: Families): Styles {
  if (f.music !== 'unheard') return { theme: themeStyle, bed: bedStyle };
  return { theme: (rng) => unheard(themeStyle(rng), rng), bed: (rng) => unheard(bedStyle(rng), rng) };
}

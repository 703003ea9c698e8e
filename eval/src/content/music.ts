import { barSeconds, chance, intBetween, pick, type Rng, type SongSpec } from '@podpreview/synth';

/** A song without a length: what a theme, sting or bed sounds like. */
export type Style = Omit<SongSpec, 'chords' | 'seconds' | 'fadeSeconds'> & { progression: number[][] };

const C = 60;
/** Four-bar progressions around middle C (root first); transposed per episode. */
const PROGRESSIONS: readonly number[][][] = [
  [
    [C, C + 4, C + 7],
    [C - 3, C, C + 4],
    [C - 7, C - 3, C],
    [C - 5, C - 1, C + 2],
  ], // I vi IV V
  [
    [C, C + 4, C + 7],
    [C - 5, C - 1, C + 2],
    [C - 3, C, C + 4],
    [C - 7, C - 3, C],
  ], // I V vi IV
  [
    [C + 2, C + 5, C + 9],
    [C - 5, C - 1, C + 2, C + 5],
    [C, C + 4, C + 7, C + 11],
    [C - 3, C, C + 4, C + 7],
  ], // ii V I vi (sevenths)
  [
    [C - 3, C, C + 4],
    [C - 7, C - 3, C],
    [C, C + 4, C + 7],
    [C - 5, C - 1, C + 2],
  ], // vi IV I V
  [
    [C, C + 4, C + 7, C + 11],
    [C - 7, C - 3, C, C + 4],
    [C, C + 4, C + 7, C + 11],
    [C - 7, C - 3, C, C + 4],
  ], // Imaj7 IVmaj7 lilt
  [
    [C - 3, C, C + 4],
    [C - 5, C - 1, C + 2],
    [C - 7, C - 3, C],
    [C - 8, C - 4, C - 1],
  ], // minor descending
];

const KEYS = [0, 4, 5, 11, 12, 24, 25, 46, 16, 8] as const; // piano, e-pianos, vibes, marimba, guitars, harp, organ, celesta
const PADS = [48, 49, 50, 88, 89, 91, 52, 95] as const;
const BASSES = [32, 33, 34, 35, 38] as const;

/** A theme style for one show: brisk and full, with drums. */
export function themeStyle(rng: Rng): Style {
  const shift = intBetween(rng, -5, 5);
  return {
    bpm: intBetween(rng, 92, 136),
    progression: pick(rng, PROGRESSIONS).map((ch) => ch.map((k) => k + shift)),
    keys: pick(rng, KEYS),
    pad: pick(rng, PADS),
    bass: pick(rng, BASSES),
    comping: chance(rng, 0.5) ? 'arpeggio' : 'block',
    drums: chance(rng, 0.6) ? 'rock' : 'soft',
  };
}

/** A bed style: slower and calmer, often without drums, to sit under speech. */
export function bedStyle(rng: Rng): Style {
  return { ...themeStyle(rng), bpm: intBetween(rng, 72, 104), comping: 'arpeggio', drums: chance(rng, 0.6) ? 'none' : 'soft' };
}

/** Loops the progression to cover `seconds` (plus the held final bar) and names the cut. */
export function songOf(style: Style, seconds: number, fadeSeconds = Math.min(1.5, seconds / 3)): SongSpec {
  const { progression, ...rest } = style;
  const bars = Math.max(2, Math.ceil(seconds / barSeconds(style.bpm)) + 1);
  const chords = Array.from({ length: bars }, (_, i) => progression[i % progression.length]!);
  return { ...rest, chords, seconds, fadeSeconds };
}

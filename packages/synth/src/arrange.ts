import { DRUM_CHANNEL, PPQ, type MidiEvent } from './midi.ts';

const DRUM = { kick: 36, sideStick: 37, snare: 38, closedHat: 42, crash: 49, ride: 51 } as const;

export interface SongSpec {
  bpm: number;
  /** One chord per bar (MIDI note numbers, root first); the last bar is a held final chord. */
  chords: number[][];
  keys: number; // GM program for the comping instrument (channel 1)
  pad: number; // GM program for the sustained pad (channel 2)
  bass: number; // GM program for the bass line (channel 3)
  comping: 'arpeggio' | 'block';
  /** `none` leaves out the kit, for ambient beds. */
  drums: 'rock' | 'soft' | 'none';
  /** Final length in seconds after cutting; the tail is faded out. */
  seconds: number;
  fadeSeconds: number;
}

/** Seconds one bar (four beats) lasts at the song's tempo. */
export const barSeconds = (bpm: number): number => (4 * 60) / bpm;

type NoteFn = (ch: number, key: number, vel: number, start: number, dur: number) => void;

/** Builds the note events for a short arrangement: comping, pad, bass and a drum groove. */
export function arrange(song: SongSpec): { events: MidiEvent[]; endTick: number } {
  const events: MidiEvent[] = [];
  const note: NoteFn = (ch, key, vel, start, dur) => {
    events.push({ tick: start, order: 2, bytes: [0x90 | ch, key, vel] });
    events.push({ tick: start + dur, order: 1, bytes: [0x80 | ch, key, 0] });
  };
  const usPerQuarter = Math.round(60_000_000 / song.bpm);
  events.push({ tick: 0, order: 0, bytes: [0xff, 0x51, 0x03, (usPerQuarter >> 16) & 0xff, (usPerQuarter >> 8) & 0xff, usPerQuarter & 0xff] });
  for (const [ch, program] of [song.keys, song.pad, song.bass].entries()) events.push({ tick: 0, order: 0, bytes: [0xc0 | ch, program] });
  events.push({ tick: 0, order: 0, bytes: [0xb1, 7, 70] }); // keep the pad behind the keys

  const bar = 4 * PPQ;
  const eighth = PPQ / 2;
  song.chords.forEach((chord, b) => {
    const t0 = b * bar;
    const root = chord[0] ?? 60;
    const final = b === song.chords.length - 1;
    // Pad: the whole chord held for the full bar.
    for (const k of chord) note(1, k, 55, t0, bar);
    if (final) {
      // Ending: one struck chord with a crash, left to ring out (faded later).
      for (const k of [...chord, root + 12]) note(0, k, 90, t0, bar);
      note(2, root - 24, 95, t0, bar);
      if (song.drums !== 'none') {
        note(DRUM_CHANNEL, DRUM.crash, 100, t0, bar);
        note(DRUM_CHANNEL, DRUM.kick, 110, t0, eighth);
      }
      return;
    }
    compBar(song.comping, chord, t0, note);
    // Bass: root on 1, pickup on the "and" of 2, fifth on 3, root on 4 - a simple pop figure.
    note(2, root - 24, 100, t0, PPQ * 1.5 - 10);
    note(2, root - 24, 80, t0 + 3 * eighth, eighth - 10);
    note(2, root - 17, 90, t0 + 2 * PPQ, PPQ - 10);
    note(2, root - 24, 85, t0 + 3 * PPQ, PPQ - 10);
    drumBar(song.drums, b, t0, note);
  });
  // One extra bar so fluidsynth renders past the cut point and the fade has material to work on.
  return { events, endTick: (song.chords.length + 1) * bar };
}

function compBar(style: SongSpec['comping'], chord: number[], t0: number, note: NoteFn): void {
  const eighth = PPQ / 2;
  if (style === 'arpeggio') {
    // Up-and-down broken chord in eighths, accenting each beat.
    const tones = [...chord, (chord[0] ?? 60) + 12];
    const order = [0, 1, 2, 3, 2, 1, 2, 3].map((i) => tones[Math.min(i, tones.length - 1)] ?? 60);
    for (const [i, k] of order.entries()) note(0, k, i % 2 === 0 ? 85 : 65, t0 + i * eighth, eighth);
  } else {
    // Syncopated block chords: 1, "and" of 2, 4.
    for (const [beat, len, vel] of [
      [0, 1.5, 85],
      [1.5, 1.5, 70],
      [3, 1, 75],
    ] as const) {
      for (const k of chord) note(0, k, vel, t0 + beat * PPQ, len * PPQ - 20);
    }
  }
}

function drumBar(style: SongSpec['drums'], barIndex: number, t0: number, note: NoteFn): void {
  if (style === 'none') return;
  const eighth = PPQ / 2;
  const hit = (key: number, vel: number, at: number): void => note(DRUM_CHANNEL, key, vel, t0 + at, eighth);
  if (barIndex === 0) hit(DRUM.crash, 90, 0);
  if (style === 'rock') {
    for (let i = 0; i < 8; i++) hit(DRUM.closedHat, i % 2 === 0 ? 75 : 55, i * eighth);
    for (const at of [0, 2 * PPQ, 2 * PPQ + eighth]) hit(DRUM.kick, 105, at);
    for (const at of [PPQ, 3 * PPQ]) hit(DRUM.snare, 95, at);
  } else {
    for (let i = 0; i < 4; i++) hit(DRUM.ride, 60, i * PPQ);
    for (const at of [0, 2 * PPQ]) hit(DRUM.kick, 85, at);
    for (const at of [PPQ, 3 * PPQ]) hit(DRUM.sideStick, 70, at);
  }
}

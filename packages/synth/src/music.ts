import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arrange, type SongSpec } from './arrange.ts';
import type { Clip } from './clip.ts';
import { encodeSmf } from './midi.ts';
import { audibleSpan, fadeOut, normalize, SAMPLE_RATE, toSamples } from './pcm.ts';
import { runCommandSync as run } from '@podpreview/shared';
import { SOUNDFONT } from './tools.ts';
import { readWav } from './wav.ts';

/** Loudness target for music (RMS over audible frames), roughly -23 dBFS. */
export const MUSIC_RMS = 0.07;

/**
 * Renders a song with fluidsynth (FluidR3_GM: real sampled instruments rather than sine tones)
 * and cuts it to exactly `song.seconds`, starting on the first note, with a fade-out.
 */
export function renderMusic(name: string, song: SongSpec, workDir: string): Clip {
  const mid = join(workDir, `${name}.mid`);
  const wav = join(workDir, `${name}.wav`);
  const { events, endTick } = arrange(song);
  writeFileSync(mid, encodeSmf(events, endTick));
  // -ni: no shell, no MIDI input; -F renders faster than real time straight to a file.
  run('fluidsynth', ['-ni', '-q', '-g', '0.5', '-r', String(SAMPLE_RATE), '-F', wav, SOUNDFONT, mid]);
  const raw = readWav(wav);
  const span = audibleSpan(raw);
  if (!span) throw new Error(`fluidsynth rendered silence for ${name}`);
  // Start exactly on the first note so a labelled music segment begins with audible sound.
  const length = toSamples(song.seconds);
  const cut = new Float32Array(length);
  cut.set(raw.subarray(span.start, Math.min(raw.length, span.start + length)));
  return { pcm: fadeOut(normalize(cut, MUSIC_RMS), song.fadeSeconds), leadPad: 0, tailPad: 0 };
}

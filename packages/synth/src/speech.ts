import { join } from 'node:path';
import type { Clip } from './clip.ts';
import { audibleSpan, normalize, SAMPLE_RATE, toSamples } from './pcm.ts';
import type { Rng } from './prng.ts';
import { runCommandSync as run } from '@podpreview/shared';
import { readWav } from './wav.ts';

/** Loudness target for speech (RMS over audible frames), roughly -20 dBFS. */
export const SPEECH_RMS = 0.1;
/** Keep a few ms of the original signal around each sentence so trimming never clicks. */
const EDGE_PAD = toSamples(0.01);

/** Pauses between sentences (cue end to next cue start), in seconds. */
export const PAUSE_SAME_SPEAKER: readonly [number, number] = [0.3, 0.55];
export const PAUSE_NEW_SPEAKER: readonly [number, number] = [0.55, 0.8];

/** Pause before a sentence: longer when the speaker changes, like real turn-taking. */
export function turnPauseSec(sameSpeaker: boolean, rng: Rng): number {
  const [lo, hi] = sameSpeaker ? PAUSE_SAME_SPEAKER : PAUSE_NEW_SPEAKER;
  return lo + (hi - lo) * rng();
}

export type Voice =
  | {
      engine: 'espeak-ng';
      /** espeak-ng voice with variant, e.g. `en-us+m3`. */
      name: string;
      speed: number; // words per minute
      pitch: number; // 0-99
    }
  | {
      engine: 'flite';
      /** A voice built into flite: `awb`, `rms`, `slt`, `kal16`, … */
      name: string;
      /** >1 speaks slower. */
      durationStretch: number;
      /** Mean pitch in Hz. */
      pitchHz: number;
    };

export interface SentenceRules {
  minWords: number;
  maxWords: number;
}

/** Each line becomes one labelled sentence (and cue), so it must be exactly one full sentence. */
export function checkSentence(text: string, rules: SentenceRules = { minWords: 8, maxWords: 25 }): void {
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < rules.minWords || words > rules.maxWords) {
    throw new Error(`Sentence has ${words} words (want ${rules.minWords}-${rules.maxWords}): "${text}"`);
  }
  if (/[.!?]\s/.test(text) || !/[.!?]$/.test(text)) throw new Error(`Line must be a single sentence: "${text}"`);
}

/** Synthesizes `text` to a WAV at SAMPLE_RATE (flite renders 16 kHz, so sox resamples it). */
function synthesize(text: string, voice: Voice, wav: string): void {
  if (voice.engine === 'espeak-ng') {
    // -z: no end-of-sentence pause; callers insert their own pauses so they are controlled and known.
    run('espeak-ng', ['-v', voice.name, '-s', String(voice.speed), '-p', String(voice.pitch), '-z', '-w', wav, text]);
    return;
  }
  const raw = `${wav}.flite.wav`;
  run('flite', [
    '-voice',
    voice.name,
    '--setf',
    `duration_stretch=${voice.durationStretch}`,
    '--setf',
    `int_f0_target_mean=${voice.pitchHz}`,
    '-t',
    text,
    '-o',
    raw,
  ]);
  // -R: repeatable; -D: no dither, so the resampled file is the same on every run.
  run('sox', ['-R', '-D', raw, '-r', String(SAMPLE_RATE), wav]);
}

/**
 * Renders one sentence and trims the engine's leading/trailing silence down to a few ms, so the
 * clip's content edges (and thus its labels) are exact.
 */
export function renderSentence(text: string, voice: Voice, workDir: string, rules?: SentenceRules): Clip {
  checkSentence(text, rules);
  const wav = join(workDir, 'sentence.wav');
  synthesize(text, voice, wav);
  const raw = readWav(wav);
  const span = audibleSpan(raw);
  if (!span) throw new Error(`${voice.engine} produced silence for: "${text}"`);
  const from = Math.max(0, span.start - EDGE_PAD);
  const to = Math.min(raw.length, span.end + EDGE_PAD);
  return {
    pcm: normalize(raw.slice(from, to), SPEECH_RMS),
    leadPad: span.start - from,
    tailPad: to - span.end,
  };
}

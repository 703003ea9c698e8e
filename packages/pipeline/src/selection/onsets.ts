import { round3 } from '@podpreview/shared';
import { P } from './params.ts';

/** Candidate preview starts from the voice-activity track, for episodes without a transcript. */
export const SPEECH_THRESHOLD = P.speechThreshold;

/** Starts of speech runs that follow at least `minGapSec` of non-speech (or the episode start). */
export function speechOnsets(probs: Float32Array, frameSec: number, minGapSec = P.onsetGapSec, minSpeechSec = P.onsetMinSpeechSec): number[] {
  const onsets: number[] = [];
  const minGap = Math.round(minGapSec / frameSec);
  const minSpeech = Math.max(1, Math.round(minSpeechSec / frameSec));
  let silentRun = minGap; // the episode start counts as after a gap
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! >= SPEECH_THRESHOLD) {
      if (silentRun >= minGap && isSustained(probs, i, minSpeech)) onsets.push(round3(i * frameSec));
      silentRun = 0;
    } else {
      silentRun++;
    }
  }
  return onsets;
}

function isSustained(probs: Float32Array, from: number, frames: number): boolean {
  for (let j = from; j < Math.min(probs.length, from + frames); j++) if (probs[j]! < SPEECH_THRESHOLD) return false;
  return true;
}

/**
 * Moves each time to the nearest onset within `maxShiftSec`. Transcript cue times are coarse
 * (a cue holding two sentences only says where the first starts), so starts placed by text
 * interpolation are pulled onto where the audio actually resumes after a pause.
 */
export function snapToOnsets(times: number[], onsets: number[], maxShiftSec = P.snapMaxSec): number[] {
  const used = new Set<number>();
  return times.map((t) => {
    let best: number | undefined;
    for (const o of onsets) {
      if (Math.abs(o - t) <= maxShiftSec && !used.has(o) && (best === undefined || Math.abs(o - t) < Math.abs(best - t))) best = o;
    }
    if (best === undefined) return t;
    used.add(best);
    return best;
  });
}

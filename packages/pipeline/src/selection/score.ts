/**
 * Window scoring on the voice-activity track. Pure functions over arrays, so they are tested
 * without storage or queues.
 */
export const SPEECH_THRESHOLD = 0.5;

/** Starts of speech runs that follow at least `minGapSec` of non-speech (or the episode start). */
export function speechOnsets(probs: Float32Array, frameSec: number, minGapSec = 0.3, minSpeechSec = 0.25): number[] {
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

/** Mean speech probability per whole second: the timeline the dashboard draws. */
export function perSecondSpeech(probs: Float32Array, frameSec: number): number[] {
  // Frames are 32 ms, which does not divide a second: bucket each frame by the second it starts in.
  const seconds = Math.ceil(probs.length * frameSec - 1e-9);
  const sum = new Float64Array(seconds);
  const count = new Uint32Array(seconds);
  for (let i = 0; i < probs.length; i++) {
    const t = Math.min(seconds - 1, Math.floor(i * frameSec + 1e-9));
    sum[t]! += probs[i]!;
    count[t]!++;
  }
  return Array.from(sum, (v, t) => round3(v / Math.max(1, count[t]!)));
}

export interface WindowChoice {
  startSec: number;
  endSec: number;
  /** Mean speech probability inside the window. */
  score: number;
  /** Share of frames inside the window classified as speech. */
  speechFraction: number;
  candidatesScored: number;
}

/**
 * Picks the `windowSec` window, starting at a candidate, with the most speech. Ties go to the
 * earlier start, which favours the episode's opening substance over later repeats. The window
 * is shorter only when the episode is.
 */
export function chooseWindow(probs: Float32Array, frameSec: number, candidatesSec: number[], durationSec: number, windowSec: number): WindowChoice {
  const length = Math.min(windowSec, durationSec);
  const latestStart = Math.max(0, durationSec - length);
  const prob = prefixSums(probs, (p) => p);
  const speech = prefixSums(probs, (p) => (p >= SPEECH_THRESHOLD ? 1 : 0));
  const mean = (sums: Float64Array, a: number, b: number) => {
    const i = Math.max(0, Math.min(probs.length, Math.round(a / frameSec)));
    const j = Math.max(i + 1, Math.min(probs.length, Math.round(b / frameSec)));
    return (sums[j]! - sums[i]!) / (j - i);
  };
  let starts = [...new Set(candidatesSec)].filter((c) => c >= 0 && c <= latestStart + 1e-6).sort((a, b) => a - b);
  // Every candidate too late for a full window: start at the last candidate that still fits, else as late as fits.
  if (starts.length === 0) starts = [latestStart];
  let best: WindowChoice | undefined;
  for (const s of starts) {
    const score = mean(prob, s, s + length);
    if (!best || score > best.score + 1e-9) {
      best = { startSec: s, endSec: round3(s + length), score: round3(score), speechFraction: round3(mean(speech, s, s + length)), candidatesScored: starts.length };
    }
  }
  return best!;
}

function prefixSums(values: Float32Array, f: (v: number) => number): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i]! + f(values[i]!);
  return sums;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

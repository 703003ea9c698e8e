import { round3, type SelectionWeights, type WindowChoice } from '@podpreview/shared';
import type { Features } from './features.ts';
import { SPEECH_THRESHOLD } from './onsets.ts';

export interface WindowInputs {
  features: Features;
  /** Frame-level VAD, for the exact speech fraction and for pauses at the window's end. */
  vad: { frameSec: number; speech: Float32Array };
  candidatesSec: number[];
  /** Sentence ends (transcript path), for "ends near a sentence end". */
  sentenceEndsSec: number[];
  /** No transcript: intros and ads cannot be read, so the episode's edges are mildly avoided. */
  audioOnly: boolean;
  durationSec: number;
  windowSec: number;
  weights: SelectionWeights;
}

/** Mean of a stepped array over [a, b) seconds, counting partial steps by their overlap. */
function makeMean(values: Float32Array, stepSec: number): (a: number, b: number) => number {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i]! + values[i]!;
  const at = (x: number) => {
    const c = Math.max(0, Math.min(values.length, x));
    const i = Math.min(values.length - 1, Math.floor(c));
    return i < 0 ? 0 : sums[i]! + (c - i) * values[i]!;
  };
  return (a, b) => (b > a ? (at(b / stepSec) - at(a / stepSec)) / ((b - a) / stepSec) : 0);
}

/**
 * Scores the window starting at every candidate (sentence starts, or speech onsets) and keeps
 * the best: speech rewarded; music without speech, ads, intros/outros and long silences
 * penalised; topical centrality rewarded; a small bonus when the window ends in a pause.
 * Ties go to the earlier start. The window is shorter only when the episode is.
 */
export function chooseWindow(i: WindowInputs): WindowChoice {
  const { features: f, weights: w } = i;
  const length = Math.min(i.windowSec, i.durationSec);
  const latestStart = Math.max(0, i.durationSec - length);
  // Music under speech (a bed) is fine in a preview; music instead of speech is not.
  const musicPenalty = Float32Array.from(f.music, (m, t) => m * (1 - f.speech[t]!));
  const edges = i.audioOnly ? edgePrior(f.steps, f.stepSec, i.durationSec) : new Float32Array(f.steps);
  const mean = (values: Float32Array) => makeMean(values, f.stepSec);
  const means = {
    speech: mean(f.speech),
    music: mean(musicPenalty),
    ad: mean(f.ad),
    introOutro: mean(f.introOutro),
    silence: mean(f.longSilence),
    centrality: mean(f.centrality),
    edges: mean(edges),
  };
  // Rewards are window means; penalties count seconds (per 10 s), so one second of ad costs
  // more than any difference in topicality between two clean windows.
  const perSeconds = length / 10;
  const frameSpeech = prefix(i.vad.speech, (p) => (p >= SPEECH_THRESHOLD ? 1 : 0));
  const frameMean = (a: number, b: number) => {
    const x = Math.max(0, Math.min(i.vad.speech.length, Math.round(a / i.vad.frameSec)));
    const y = Math.max(x + 1, Math.min(i.vad.speech.length, Math.round(b / i.vad.frameSec)));
    return (frameSpeech[y]! - frameSpeech[x]!) / (y - x);
  };
  // A pause between sentences, not the start of a long silence or the end of a speech block.
  const endsInPause = (t: number) =>
    t >= i.durationSec - 0.05 ||
    ((i.sentenceEndsSec.some((e) => Math.abs(e - t) <= 0.5) || frameMean(t - 0.15, t + 0.15) < 0.5) && frameMean(t, t + 1.5) > 0.2);

  let starts = [...new Set(i.candidatesSec)].filter((c) => c >= 0 && c <= latestStart + 1e-6).sort((a, b) => a - b);
  if (starts.length === 0) starts = [latestStart];
  let best: WindowChoice | undefined;
  for (const s of starts) {
    const e = s + length;
    const contributions = {
      speech: w.speech * means.speech(s, e),
      music: -w.music * perSeconds * means.music(s, e),
      ad: -w.ad * perSeconds * means.ad(s, e),
      introOutro: -w.introOutro * perSeconds * means.introOutro(s, e),
      silence: -w.silence * perSeconds * means.silence(s, e),
      edges: -w.edges * perSeconds * means.edges(s, e),
      centrality: w.centrality * means.centrality(s, e),
      sentenceEnd: endsInPause(e) ? w.sentenceEnd : 0,
    };
    const score = Object.values(contributions).reduce((a, b) => a + b, 0);
    if (!best || score > best.score + 1e-9) {
      best = {
        startSec: round3(s),
        endSec: round3(e),
        score: round3(score),
        speechFraction: round3(frameMean(s, e)),
        contributions: Object.fromEntries(Object.entries(contributions).map(([k, v]) => [k, round3(v)])),
        candidatesScored: starts.length,
      };
    }
  }
  return best!;
}

/**
 * 1 at the episode's first second falling to 0 at 20 % of it, and rising again over the last
 * 10 %: where intros, pre-roll ads and outros sit in most shows. Used only without a transcript,
 * as a stand-in until speech-to-text feeds the text models.
 */
function edgePrior(steps: number, stepSec: number, durationSec: number): Float32Array {
  const head = 0.2 * durationSec;
  const tail = 0.1 * durationSec;
  return Float32Array.from({ length: steps }, (_, t) => {
    const at = (t + 0.5) * stepSec;
    return Math.max(0, 1 - at / head, 1 - (durationSec - at) / tail);
  });
}

function prefix(values: Float32Array, f: (v: number) => number): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i]! + f(values[i]!);
  return sums;
}

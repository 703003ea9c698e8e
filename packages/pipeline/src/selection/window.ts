import { round3, type SelectionWeights, type WindowChoice } from '@podpreview/shared';
import type { Features } from './features.ts';
import { SPEECH_THRESHOLD } from './onsets.ts';
import { P } from './params.ts';
import { edgePrior, talkExtent } from './structure.ts';

export interface WindowInputs {
  features: Features;
  /** Frame-level VAD, for the exact speech fraction and for pauses at the window's end. */
  vad: { frameSec: number; speech: Float32Array };
  candidatesSec: number[];
  /** Sentence ends (transcript path), for "ends near a sentence end". */
  sentenceEndsSec: number[];
  /** Sentences as [start, end] (transcript path): a window never ends in a pause inside one. */
  sentenceSpansSec?: [number, number][];
  /** No transcript: the ends that count as clean are VAD pauses only. */
  audioOnly: boolean;
  durationSec: number;
  windowSec: number;
  weights: SelectionWeights;
}

/** How far the window's end may move from `windowSec` to end cleanly (60 ± 1 s). */
export const END_SLACK_SEC = P.endSlackSec;
const { startPauseFullSec: START_PAUSE_FULL_SEC, endTailSec: END_TAIL_SEC, minEndPauseSec: MIN_END_PAUSE_SEC } = P;
const { intoPauseSec: INTO_PAUSE_SEC, pauseHalfSec: PAUSE_HALF_SEC } = P;

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
 * penalised; topical centrality rewarded; a bonus when the window ends cleanly. Each window's
 * end is placed up to END_SLACK_SEC from `windowSec` after a transcript sentence or in a VAD
 * pause, so previews stop between sentences. Ties go to the earlier start. The window is
 * shorter only when the episode is.
 */
export function chooseWindow(i: WindowInputs): WindowChoice {
  const { features: f, weights: w } = i;
  const length = Math.min(i.windowSec, i.durationSec);
  const latestStart = Math.max(0, i.durationSec - length);
  const edges = edgePrior(f.steps, f.stepSec, talkExtent(f.speech, f.stepSec, i.durationSec));
  const mean = (values: Float32Array) => makeMean(values, f.stepSec);
  const means = {
    speech: mean(f.speech),
    // Music under speech (a bed) is fine in a preview; music instead of speech is not.
    music: mean(f.musicWithoutSpeech),
    ad: mean(f.ad),
    introOutro: mean(f.introOutro),
    silence: mean(f.longSilence),
    centrality: mean(f.centrality),
    edges: mean(edges),
    otherVoice: mean(f.otherVoice),
    monologue: mean(f.monologue),
    guestIntro: mean(f.guestIntro),
  };
  // Rewards are window means; penalties count seconds (per 10 s), so one second of ad costs
  // more than any difference in topicality between two clean windows.
  const perSeconds = length / P.penaltyPerSec;
  const frameSpeech = prefix(i.vad.speech, (p) => (p >= SPEECH_THRESHOLD ? 1 : 0));
  const frameMean = (a: number, b: number) => {
    const x = Math.max(0, Math.min(i.vad.speech.length, Math.round(a / i.vad.frameSec)));
    const y = Math.max(x + 1, Math.min(i.vad.speech.length, Math.round(b / i.vad.frameSec)));
    return (frameSpeech[y]! - frameSpeech[x]!) / (y - x);
  };
  // A pause between sentences, not the start of a long silence or the end of a speech block.
  // The end may move up to END_SLACK_SEC either way to land after a sentence or in a pause.
  const slack = length < i.windowSec ? 0 : END_SLACK_SEC;
  const sentenceEnds = [...i.sentenceEndsSec].sort((a, b) => a - b);
  const sentenceSpans = (i.sentenceSpansSec ?? []).filter(([a, b]) => b > a);
  const inPause = (t: number) => frameMean(t - PAUSE_HALF_SEC, t + PAUSE_HALF_SEC) < 0.5;
  const chooseEnd = (s: number): { endSec: number; clean: boolean } => {
    const target = s + length;
    if (target >= i.durationSec - 0.05) return { endSec: i.durationSec, clean: true };
    const lo = target - slack;
    const hi = Math.min(i.durationSec, target + slack);
    // Sooner rather than later: running past 60 s is where a window slips out of its content.
    const pick = (ts: number[]) => {
      const before = ts.filter((t) => t <= target);
      return before.length > 0 ? Math.max(...before) : Math.min(...ts);
    };
    // VAD pauses, outside every transcript sentence (a comma's gap is not a sentence end); the
    // longest one, as sentence ends pause longer than the breaths inside sentences.
    const insideSentence = (t: number) => sentenceSpans.some(([a, b]) => t > a + P.insideSentenceMarginSec && t < b - P.insideSentenceMarginSec);
    const runs: number[][] = [];
    for (let t = lo; t <= hi + 1e-9; t += i.vad.frameSec) {
      if (!inPause(t) || insideSentence(t) || quietAround(t) < MIN_END_PAUSE_SEC) continue;
      const run = runs.at(-1);
      if (run && t - run.at(-1)! <= i.vad.frameSec * 1.5) run.push(t);
      else runs.push([t]);
    }
    const longest = runs.reduce<number[]>((a, r) => (r.length > a.length ? r : a), []);
    // Early in the pause rather than its middle: after the last word of a block, the middle of
    // a long pause is already past the block's end.
    const vadPauses = longest.length > 0 ? [Math.min(longest[Math.floor(longest.length / 2)]!, longest[0]! + INTO_PAUSE_SEC)] : [];
    // A transcript's sentence end (a moment after it, to keep the last word's tail), best where
    // the audio agrees it is a pause: a cue's inner sentence boundaries are interpolated.
    const afterSentences = sentenceEnds.map((e) => e + END_TAIL_SEC).filter((e) => e >= lo && e <= hi);
    for (const tier of [afterSentences.filter(inPause), vadPauses, afterSentences]) {
      if (tier.length > 0) return { endSec: pick(tier), clean: true };
    }
    return { endSec: target, clean: false };
  };

  // Seconds of the VAD's quiet run each frame lies in, once per episode: every start's end search
  // reads it.
  const quietRun = quietRuns(i.vad.speech, i.vad.frameSec, SPEECH_THRESHOLD);
  const quietAround = (t: number) => quietRun[Math.round(t / i.vad.frameSec)] ?? 0;
  // The quiet before a start counts only clear quiet: a voice the VAD half hears (a phone line,
  // a soft start) keeps it between the thresholds, and an onset after it is mid-sentence.
  const clearQuiet = quietRuns(i.vad.speech, i.vad.frameSec, P.startQuietMax);
  const quietBefore = (t: number) => {
    const to = Math.round(t / i.vad.frameSec);
    if (to <= 0) return Number.POSITIVE_INFINITY;
    let longest = 0;
    for (let f = Math.max(0, to - Math.round(P.startRiseSec / i.vad.frameSec)); f < to; f++) longest = Math.max(longest, clearQuiet[f]!);
    return longest;
  };
  // A gap before an onset that is mostly a voice the VAD half hears (between startQuietMax and
  // its decision point) is no pause: the onset is a louder moment inside an utterance, and the
  // start pays the whole bonus instead of earning it.
  const halfHeardBefore = (t: number) => {
    const to = Math.round(t / i.vad.frameSec);
    const from = Math.max(0, to - Math.round(START_PAUSE_FULL_SEC / i.vad.frameSec));
    let gap = 0;
    let half = 0;
    for (let f = from; f < to; f++) {
      const p = i.vad.speech[f]!;
      if (p >= SPEECH_THRESHOLD) continue;
      gap++;
      if (p >= P.startQuietMax) half++;
    }
    return gap > 0 && half / gap > P.halfHeardShare ? 1 : 0;
  };
  // How sure a clean end is, by the quiet it falls in: an end between turns pauses longer than
  // one between two sentences of a turn, where a transcript's interpolated sentence end (or a
  // labeller's) may still be in the last word's tail.
  const endQuiet = (t: number) => {
    if (t >= i.durationSec - 0.05) return 1;
    let q = 0;
    for (let f = Math.round((t - PAUSE_HALF_SEC) / i.vad.frameSec); f <= Math.round((t + PAUSE_HALF_SEC) / i.vad.frameSec); f++)
      q = Math.max(q, quietRun[f] ?? 0);
    return Math.min(1, q / P.endQuietFullSec);
  };
  let starts = [...new Set(i.candidatesSec)].filter((c) => c >= 0 && c <= latestStart + 1e-6).sort((a, b) => a - b);
  if (starts.length === 0) starts = [latestStart];
  let best: WindowChoice | undefined;
  for (const s of starts) {
    // Starts compete on whether their end can land after a sentence, or without a transcript in
    // a pause long enough to be between sentences (within END_SLACK_SEC). Starts also compete on
    // the quiet before them (startPause): recorded lines pause inside them too, and rewarding
    // clean ends alone makes previews of real dialog start mid-line; with a transcript, a
    // sentence start interpolated inside a cue has no pause before it, a cue's start has.
    const { endSec: end, clean } = chooseEnd(s);
    // Scored over the nominal length: starts compete on the same footing wherever ends moved.
    const e = s + length;
    const contributions = {
      speech: w.speech * means.speech(s, e),
      music: -w.music * perSeconds * means.music(s, e),
      ad: -w.ad * perSeconds * means.ad(s, e),
      introOutro: -w.introOutro * perSeconds * means.introOutro(s, e),
      silence: -w.silence * perSeconds * means.silence(s, e),
      edges: -w.edges * perSeconds * means.edges(s, e),
      otherVoice: -w.otherVoice * perSeconds * means.otherVoice(s, e),
      monologue: -w.monologue * perSeconds * means.monologue(s, e),
      guestIntro: -w.guestIntro * perSeconds * means.guestIntro(s, e),
      centrality: w.centrality * means.centrality(s, e),
      sentenceEnd: clean ? (i.audioOnly ? w.pauseEnd : w.sentenceEnd) * endQuiet(end) : 0,
      startPause: w.startPause * (Math.min(1, quietBefore(s) / START_PAUSE_FULL_SEC) - halfHeardBefore(s)),
    };
    const score = Object.values(contributions).reduce((a, b) => a + b, 0);
    if (!best || score > best.score + 1e-9) {
      best = {
        startSec: round3(s),
        endSec: round3(end),
        score: round3(score),
        speechFraction: round3(frameMean(s, end)),
        contributions: Object.fromEntries(Object.entries(contributions).map(([k, v]) => [k, round3(v)])),
        candidatesScored: starts.length,
      };
    }
  }
  return best!;
}

/** Seconds of the run of frames under `below` each frame lies in (0 in speech); the run the episode opens with counts as long. */
export function quietRuns(speech: Float32Array, frameSec: number, below: number): Float32Array {
  const out = new Float32Array(speech.length);
  for (let f = 0; f < out.length; ) {
    let end = f;
    while (end < out.length && speech[end]! < below) end++;
    out.fill(f === 0 ? Number.POSITIVE_INFINITY : (end - f) * frameSec, f, end);
    f = end > f ? end : f + 1;
  }
  return out;
}

function prefix(values: Float32Array, f: (v: number) => number): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i]! + f(values[i]!);
  return sums;
}

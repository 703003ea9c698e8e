import { median3 } from '@podpreview/shared';
import { resample } from '../tracks.ts';
import { SPEECH_THRESHOLD } from './onsets.ts';
import { P } from './params.ts';
import { guestIntroductions, talkExtent } from './structure.ts';
import { analyseVoices, type VoiceAnalysis, type VoiceFrames } from './voices.ts';

/** Evidence from every model on one timeline: index t covers [t·stepSec, (t+1)·stepSec). */
export interface Features {
  stepSec: number;
  steps: number;
  /** Voice activity (Silero), 0..1. */
  speech: Float32Array;
  /** Music present (sound-event model), 0..1; zeros when that model did not run. */
  music: Float32Array;
  /** 1 inside a run of ≥ 2 s with neither speech nor music. */
  longSilence: Float32Array;
  /** Sentence-level text model outputs spread over the sentence's steps; zeros without a transcript. */
  ad: Float32Array;
  introOutro: Float32Array;
  centrality: Float32Array;
  /** 1 inside a block spoken by a voice heard only briefly (voice-embed); zeros without it. */
  otherVoice: Float32Array;
  /** 1 inside one voice's long stretch in a conversation (voice-embed): intros, ad reads, outros. */
  monologue: Float32Array;
  /** 1 just before a main voice is first heard mid-episode (structure.ts): a guest's introduction. */
  guestIntro: Float32Array;
  /** Music where nobody speaks for over PAUSE_MAX_SEC: an intro, a sting, an interlude, not a bed under talk. */
  musicWithoutSpeech: Float32Array;
  /** Who speaks when (voice-embed's frames), for explaining a choice; absent without that model. */
  voices?: VoiceAnalysis & Pick<VoiceFrames, 'frameSec' | 'spanSec'>;
}

export interface FeatureInputs {
  durationSec: number;
  vad: { frameSec: number; speech: Float32Array };
  soundEvents?: { frameSec: number; spanSec: number; music: Float32Array };
  sentences?: { startSec: number; endSec: number; scores: Record<string, number> }[];
  voice?: VoiceFrames;
}

export const FEATURE_STEP_SEC = P.featureStepSec;

export function buildFeatures(i: FeatureInputs, stepSec = FEATURE_STEP_SEC): Features {
  const steps = Math.max(1, Math.ceil(i.durationSec / stepSec - 1e-9));
  const speech = resample(i.vad.speech, i.vad.frameSec, steps, stepSec);
  const music = i.soundEvents ? resample(i.soundEvents.music, i.soundEvents.frameSec, steps, stepSec, i.soundEvents.spanSec) : new Float32Array(steps);
  const longSilence = new Float32Array(steps);
  forEachRun(
    steps,
    (t) => speech[t]! < P.silenceSpeechMax && music[t]! < P.silenceMusicMax,
    Math.round(P.silenceRunSec / stepSec),
    (from, to) => longSilence.fill(1, from, to),
  );
  const ad = new Float32Array(steps);
  const introOutro = new Float32Array(steps);
  const centrality = new Float32Array(steps);
  const sentences = i.sentences ?? [];
  const { adEvidence, ioEvidence } = sentenceEvidence(sentences);
  // Each step takes the scores of the sentence it falls in, or of the one just before it
  // (pauses between sentences belong to what was being said).
  let k = 0;
  for (let t = 0; t < steps && sentences.length > 0; t++) {
    const mid = (t + 0.5) * stepSec;
    while (k + 1 < sentences.length && sentences[k + 1]!.startSec <= mid) k++;
    const s = sentences[k]!;
    if (s.startSec > mid) continue;
    ad[t] = adEvidence[k]!;
    introOutro[t] = ioEvidence[k]!;
    centrality[t] = s.scores.centrality ?? 0;
  }
  let otherVoice: Float32Array = new Float32Array(steps);
  let monologue: Float32Array = new Float32Array(steps);
  let guestIntro: Float32Array = new Float32Array(steps);
  let voices: Features['voices'];
  if (i.voice) {
    const sums = new Float64Array(steps + 1);
    for (let t = 0; t < steps; t++) sums[t + 1] = sums[t]! + speech[t]!;
    const at = (sec: number) => Math.max(0, Math.min(steps, Math.round(sec / stepSec)));
    const vadSpeechAt = (a: number, b: number) => (at(b) > at(a) ? (sums[at(b)]! - sums[at(a)]!) / (at(b) - at(a)) : 0);
    voices = { ...analyseVoices(i.voice, vadSpeechAt), frameSec: i.voice.frameSec, spanSec: i.voice.spanSec };
    otherVoice = resample(voices.otherVoice, i.voice.frameSec, steps, stepSec, i.voice.spanSec);
    monologue = resample(voices.monologue, i.voice.frameSec, steps, stepSec, i.voice.spanSec);
    const intros = guestIntroductions(voices.voiceOf, voices.voices, i.voice.frameSec, talkExtent(speech, stepSec, i.durationSec));
    guestIntro = resample(intros, i.voice.frameSec, steps, stepSec);
  }
  return {
    stepSec,
    steps,
    speech,
    music,
    longSilence,
    ad,
    introOutro,
    centrality,
    otherVoice,
    monologue,
    guestIntro,
    musicWithoutSpeech: withoutSpeech(music, speech, stepSec),
    ...(voices ? { voices } : {}),
  };
}

/** Calls `mark(from, to)` for each maximal run of steps where `inRun` holds that is at least `minSteps` long. */
function forEachRun(steps: number, inRun: (t: number) => boolean, minSteps: number, mark: (from: number, to: number) => void): void {
  for (let t = 0; t < steps; ) {
    let end = t;
    while (end < steps && inRun(end)) end++;
    if (end - t >= minSteps) mark(t, end);
    t = end > t ? end : t + 1;
  }
}

/**
 * Music counted only where nobody speaks for over pauseMaxSec. Weighting music by each step's
 * lack of speech also charges the pauses between sentences over a music bed, so content with a
 * bed costs more than an ad or outro without one.
 */
function withoutSpeech(music: Float32Array, speech: Float32Array, stepSec: number): Float32Array {
  const out = new Float32Array(music.length);
  forEachRun(
    music.length,
    (t) => speech[t]! < SPEECH_THRESHOLD,
    Math.round(P.pauseMaxSec / stepSec) + 1,
    (from, to) => out.set(music.subarray(from, to), from),
  );
  return out;
}

/**
 * Ad and intro/outro evidence per sentence. The context model (`sentence-context`) reads each
 * sentence with its neighbours and its place in the episode: on held-out episodes it finds
 * ad, intro and outro sentences the one-sentence classifiers miss (README, Models). Without it
 * (an older manifest, a variant that skips it), a median over neighbours stands in.
 */
export function sentenceEvidence(sentences: readonly { scores: Record<string, number> }[]): { adEvidence: Float32Array; ioEvidence: Float32Array } {
  const withContext = sentences.length > 0 && sentences.every((s) => s.scores.adContext !== undefined);
  if (withContext) {
    return {
      adEvidence: Float32Array.from(sentences, (s) => Math.max(ramp(s.scores.adContext!), (s.scores.ad ?? 0) >= SURE_AD ? 1 : 0)),
      ioEvidence: Float32Array.from(sentences, (s) => ramp(Math.max(s.scores.introContext ?? 0, s.scores.outroContext ?? 0))),
    };
  }
  return {
    adEvidence: blockEvidence(sentences.map((s) => s.scores.ad ?? 0)),
    ioEvidence: blockEvidence(sentences.map((s) => Math.max(s.scores.intro ?? 0, s.scores.outro ?? 0))),
  };
}

/**
 * A sentence the one-sentence classifier is this sure is an ad (a promo code, a sponsor's URL)
 * stays one even where its neighbours talk the context model out of it: a host-read ad that
 * thanks its sponsor like an outro. Marking a stray content sentence costs a few seconds of one
 * window; missing an ad puts the preview in it.
 */
const SURE_AD = P.sureAd;

/** Evidence ramps from 0 at rampLow to 1 at rampHigh, around the 0.5 decision point. */
const ramp = (p: number) => Math.min(1, Math.max(0, (p - P.rampLow) / (P.rampHigh - P.rampLow)));

/**
 * Turns per-sentence probabilities into evidence for the window penalties.
 * - Ads, intros and outros come in blocks of sentences: a classifier misses single sentences
 *   inside them ("it's made from recycled materials" mid-ad) and fires on single sentences of
 *   ordinary content ("check out the archive"). A median over each sentence and its two
 *   neighbours fixes both: one odd sentence neither breaks a block nor makes one.
 * - Low probabilities are the classifier's noise on ordinary content and must not add up over a
 *   60 s window: evidence ramps from 0 at rampLow to 1 at rampHigh, around the 0.5 decision point.
 */
export function blockEvidence(p: number[]): Float32Array {
  return Float32Array.from(median3(p), ramp);
}

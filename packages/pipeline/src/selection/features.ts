import { perSecond } from '../tracks.ts';

/** Per-second evidence from every model, on one timeline (index t covers [t, t+1) s). */
export interface Features {
  seconds: number;
  /** Voice activity (Silero), 0..1. */
  speech: Float32Array;
  /** Music present (sound-event model), 0..1; zeros when that model did not run. */
  music: Float32Array;
  /** 1 inside a run of ≥ 2 s with neither speech nor music. */
  longSilence: Float32Array;
  /** Sentence-level text model outputs spread over the sentence's seconds; zeros without a transcript. */
  ad: Float32Array;
  introOutro: Float32Array;
  centrality: Float32Array;
}

export interface FeatureInputs {
  durationSec: number;
  vad: { frameSec: number; speech: Float32Array };
  soundEvents?: { frameSec: number; spanSec: number; music: Float32Array };
  sentences?: { startSec: number; endSec: number; scores: Record<string, number> }[];
}

const SILENCE_RUN_SEC = 2;

export function buildFeatures(i: FeatureInputs): Features {
  const seconds = Math.max(1, Math.ceil(i.durationSec - 1e-9));
  const speech = perSecond(i.vad.speech, i.vad.frameSec, seconds);
  const music = i.soundEvents ? perSecond(i.soundEvents.music, i.soundEvents.frameSec, seconds, i.soundEvents.spanSec) : new Float32Array(seconds);
  const longSilence = new Float32Array(seconds);
  for (let t = 0; t < seconds; ) {
    let end = t;
    while (end < seconds && speech[end]! < 0.15 && music[end]! < 0.3) end++;
    if (end - t >= SILENCE_RUN_SEC) longSilence.fill(1, t, end);
    t = end > t ? end : t + 1;
  }
  const ad = new Float32Array(seconds);
  const introOutro = new Float32Array(seconds);
  const centrality = new Float32Array(seconds);
  const sentences = i.sentences ?? [];
  // Each second takes the scores of the sentence it falls in, or of the one just before it
  // (pauses between sentences belong to what was being said).
  let k = 0;
  for (let t = 0; t < seconds && sentences.length > 0; t++) {
    const mid = t + 0.5;
    while (k + 1 < sentences.length && sentences[k + 1]!.startSec <= mid) k++;
    const s = sentences[k]!;
    if (s.startSec > mid) continue;
    ad[t] = s.scores.ad ?? 0;
    introOutro[t] = Math.max(s.scores.intro ?? 0, s.scores.outro ?? 0);
    centrality[t] = s.scores.centrality ?? 0;
  }
  return { seconds, speech, music, longSilence, ad, introOutro, centrality };
}

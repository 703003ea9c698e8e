/**
 * Who is speaking, from voice-embed's per-window embeddings: groups the episode's speech into
 * voices and marks the stretches spoken by a voice that is heard only briefly and in few
 * places. In a show the host and the guests talk throughout; a voice heard once or twice for
 * a block of seconds is an announcer's ad read, a sponsor spot or a promo, which a preview
 * should not land in. This needs no words, so it works without a transcript.
 */
export interface VoiceFrames {
  /** Step between frames; frame f describes [f * frameSec, f * frameSec + spanSec). */
  frameSec: number;
  spanSec: number;
  dims: number;
  /** frames x dims, row-major, unit-length rows. */
  embeddings: Float32Array;
}

export interface VoiceAnalysis {
  /** Per voice frame: the voice (cluster) heard, -1 where the window is not mostly speech. */
  voiceOf: Int32Array;
  voices: { seconds: number; share: number; turns: number; rare: boolean }[];
  /** Per voice frame, 0..1: inside a block spoken by a rare voice. */
  otherVoice: Float32Array;
}

/**
 * Two 2 s segments this similar are one voice. Between the equal-error thresholds measured on
 * held-out synthetic voices (0.71) and recorded actors (0.63): splitting one voice in two
 * costs less here than merging an announcer into the host.
 */
export const SAME_VOICE_COSINE = 0.66;
/** Windows the VAD hears this much speech in count as speech. */
const SPEECH_SHARE = 0.6;
/** Frames averaged into one segment: 3 consecutive windows (3 s at the shipped 1 s hop). */
const SEGMENT_FRAMES = 3;
/** A rare voice: under this share of the episode's speech… */
const RARE_SHARE = 0.2;
/** …heard in at most this many separate turns… */
const RARE_TURNS = 3;
/** …and only its blocks of at least this long count (a stray segment is the model's noise). */
const MIN_BLOCK_SEC = 6;

export function analyseVoices(v: VoiceFrames, vadSpeechAt: (fromSec: number, toSec: number) => number): VoiceAnalysis {
  const frames = Math.floor(v.embeddings.length / v.dims);
  const speech = Array.from({ length: frames }, (_, f) => vadSpeechAt(f * v.frameSec, f * v.frameSec + v.spanSec) >= SPEECH_SHARE);
  // Segments: up to SEGMENT_FRAMES consecutive speech frames, their mean embedding.
  const segments: { first: number; last: number; e: Float32Array }[] = [];
  for (let f = 0; f < frames; ) {
    if (!speech[f]) {
      f++;
      continue;
    }
    const first = f;
    const e = new Float32Array(v.dims);
    while (f < frames && speech[f] && f - first < SEGMENT_FRAMES) {
      for (let d = 0; d < v.dims; d++) e[d]! += v.embeddings[f * v.dims + d]!;
      f++;
    }
    segments.push({ first, last: f - 1, e: unit(e) });
  }
  const clusterOf = clusterSegments(segments.map((s) => s.e));
  const voiceOf = new Int32Array(frames).fill(-1);
  segments.forEach((s, i) => {
    voiceOf.fill(clusterOf[i]!, s.first, s.last + 1);
  });

  const k = clusterOf.reduce((m, c) => Math.max(m, c + 1), 0);
  const seconds = new Float64Array(k);
  const turns = new Int32Array(k);
  let previous = -1;
  segments.forEach((s, i) => {
    const c = clusterOf[i]!;
    seconds[c]! += (s.last - s.first + 1) * v.frameSec;
    if (c !== previous) turns[c]!++;
    previous = c;
  });
  const total = seconds.reduce((a, b) => a + b, 0) || 1;
  const voices = Array.from({ length: k }, (_, c) => {
    const share = seconds[c]! / total;
    return { seconds: seconds[c]!, share, turns: turns[c]!, rare: share < RARE_SHARE && turns[c]! <= RARE_TURNS };
  });
  // The dominant voice is never rare, however the episode is built (a monologue with one guest line).
  const top = voices.reduce((best, x, c) => (x.seconds > voices[best]!.seconds ? c : best), 0);
  if (voices[top]) voices[top].rare = false;

  const otherVoice = new Float32Array(frames);
  // Blocks: consecutive segments of one rare voice (pauses inside a block belong to it).
  for (let i = 0; i < segments.length; ) {
    const c = clusterOf[i]!;
    let j = i;
    while (j + 1 < segments.length && clusterOf[j + 1] === c) j++;
    const from = segments[i]!.first;
    const to = segments[j]!.last;
    if (voices[c]!.rare && (to - from) * v.frameSec + v.spanSec >= MIN_BLOCK_SEC) otherVoice.fill(1, from, to + 1);
    i = j + 1;
  }
  return { voiceOf, voices, otherVoice };
}

/**
 * Leader clustering in time order (each segment joins the most similar voice so far when
 * similar enough, else starts one), then voices whose centroids came out alike are merged.
 * Linear in the episode's length; agglomerative clustering would be quadratic or worse.
 */
export function clusterSegments(e: Float32Array[]): Int32Array {
  const sums: Float32Array[] = [];
  const of = new Int32Array(e.length);
  e.forEach((x, i) => {
    let best = -1;
    let bestSim = SAME_VOICE_COSINE;
    sums.forEach((s, c) => {
      const sim = dot(unit(Float32Array.from(s)), x);
      if (sim >= bestSim) {
        bestSim = sim;
        best = c;
      }
    });
    if (best < 0) {
      best = sums.length;
      sums.push(new Float32Array(x.length));
    }
    for (let d = 0; d < x.length; d++) sums[best]![d]! += x[d]!;
    of[i] = best;
  });
  // Merge alike voices: map each to the first voice it is similar to.
  const target = sums.map((_, c) => c);
  const centroid = sums.map((s) => unit(Float32Array.from(s)));
  for (let c = 0; c < sums.length; c++) {
    for (let p = 0; p < c; p++) {
      if (target[p] === p && dot(centroid[p]!, centroid[c]!) >= SAME_VOICE_COSINE) {
        target[c] = p;
        break;
      }
    }
  }
  // Renumber densely in order of first appearance.
  const dense = new Map<number, number>();
  return of.map((c) => {
    const root = target[c]!;
    if (!dense.has(root)) dense.set(root, dense.size);
    return dense.get(root)!;
  });
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function unit(a: Float32Array): Float32Array {
  const n = Math.sqrt(dot(a, a)) || 1;
  for (let i = 0; i < a.length; i++) a[i]! /= n;
  return a;
}

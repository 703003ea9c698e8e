import { P } from './params.ts';

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
  /** Per voice frame, 0..1: inside one voice's long uninterrupted stretch in a conversation (see `monologues`). */
  monologue: Float32Array;
}

/** Two segments this similar are one voice (see selection/params.ts for this and the thresholds below). */
export const SAME_VOICE_COSINE = P.sameVoiceCosine;
const { voiceSpeechShare: SPEECH_SHARE, segmentFrames: SEGMENT_FRAMES, rareShare: RARE_SHARE, rareTurns: RARE_TURNS } = P;
const { rareMinBlockSec: MIN_BLOCK_SEC, frameMarginCosine: FRAME_MARGIN, dialogShare: DIALOG_SHARE, stretchGapSec: STRETCH_GAP_SEC } = P;
const { straySec: STRAY_SEC, monologueMinSec: MONOLOGUE_MIN_SEC, monologueMedianFactor: MONOLOGUE_MEDIAN_FACTOR, monologueMaxSec: MONOLOGUE_MAX_SEC } = P;

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
  return { voiceOf, voices, otherVoice, monologue: monologues(turnTaking(v, voiceOf, voices, speech), voices, v) };
}

/**
 * The voice of each speech frame, for turn-taking: a 3 s segment takes one voice, so a host's
 * two-second "and then?" between a guest's answers vanishes into them and two answers read as
 * one long stretch. Each main-voice frame's own embedding picks the nearer of the main voices'
 * centroids when it is clearly nearer; otherwise the frame keeps its segment's voice.
 */
function turnTaking(v: VoiceFrames, voiceOf: Int32Array, voices: readonly { share: number }[], speech: readonly boolean[]): Int32Array {
  const main = voices.map((x, c) => (x.share >= DIALOG_SHARE ? c : -1)).filter((c) => c >= 0);
  if (main.length < 2) return voiceOf;
  const centroids = main.map((c) => {
    const sum = new Float32Array(v.dims);
    for (let f = 0; f < voiceOf.length; f++) if (voiceOf[f] === c) for (let d = 0; d < v.dims; d++) sum[d]! += v.embeddings[f * v.dims + d]!;
    return unit(sum);
  });
  const out = Int32Array.from(voiceOf);
  for (let f = 0; f < voiceOf.length; f++) {
    // Only frames of the main voices move between them: a minor voice's frame is left to the stray rule.
    if (!speech[f] || !main.includes(voiceOf[f]!)) continue;
    const e = v.embeddings.subarray(f * v.dims, (f + 1) * v.dims);
    const sims = centroids.map((c) => dot(c, e));
    const order = sims.map((x, k) => [x, k] as const).sort((a, b) => b[0] - a[0]);
    if (order[0]![0] - order[1]![0] >= FRAME_MARGIN) out[f] = main[order[0]![1]]!;
  }
  // A single frame is too little to call a turn.
  for (let f = 1; f + 1 < out.length; f++) if (out[f] !== voiceOf[f] && out[f - 1] !== out[f] && out[f + 1] !== out[f]) out[f] = voiceOf[f]!;
  return out;
}

/**
 * Marks long stretches of one voice in a conversation. In an interview or a panel, voices take
 * turns every few sentences; the show's framing is one voice talking on its own: the intro, an
 * ad read (by the host or by an announcer the embeddings cannot tell from a guest), the outro.
 * Turns inside content are short; the framing's stretches are long (docs/selection-tuning.md
 * has the measured lengths). This needs the two main voices apart, not
 * the announcer: an ad read by someone who sounds like a guest still makes a long stretch of
 * "the guest". The threshold follows the episode's own turn length, so shows with longer turns
 * are judged by their own measure.
 */
export function monologues(voiceOf: Int32Array, voices: readonly { share: number }[], v: Pick<VoiceFrames, 'frameSec' | 'spanSec'>): Float32Array {
  const out = new Float32Array(voiceOf.length);
  if (voices.filter((x) => x.share >= DIALOG_SHARE).length < 2) return out;
  const raw: { voice: number; first: number; last: number }[] = [];
  for (let f = 0; f < voiceOf.length; f++) {
    const c = voiceOf[f]!;
    if (c < 0) continue;
    const open = raw.at(-1);
    if (open && c === open.voice && (f - open.last) * v.frameSec <= STRETCH_GAP_SEC) open.last = f;
    else raw.push({ voice: c, first: f, last: f });
  }
  const seconds = (s: { first: number; last: number }) => (s.last - s.first) * v.frameSec + v.spanSec;
  // One segment heard as a voice that barely speaks elsewhere, inside a stretch, is the
  // embedding's noise, not a turn: it would cut a 35 s intro-and-ad into two stretches short
  // enough to pass. A main voice's one-word interjection is a turn.
  const stretches: typeof raw = [];
  for (const s of raw) {
    const [before, stray] = [stretches.at(-2), stretches.at(-1)];
    if (
      before &&
      stray &&
      before.voice === s.voice &&
      seconds(stray) <= STRAY_SEC &&
      voices[stray.voice]!.share < DIALOG_SHARE &&
      (s.first - before.last) * v.frameSec <= STRAY_SEC + 2 * STRETCH_GAP_SEC
    ) {
      stretches.pop();
      before.last = s.last;
    } else stretches.push({ ...s });
  }
  const sorted = stretches.map(seconds).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const min = Math.max(MONOLOGUE_MIN_SEC, MONOLOGUE_MEDIAN_FACTOR * median);
  // The framing is a minority of an episode: where long stretches are most of the talk (a show
  // of long answers), only the longest, up to that share, tell framing from content.
  const budget = P.monologueMaxShare * stretches.reduce((a, s) => a + seconds(s), 0);
  let marked = 0;
  const long = stretches.filter((s) => seconds(s) >= min && seconds(s) <= MONOLOGUE_MAX_SEC).sort((a, b) => seconds(b) - seconds(a));
  for (const s of long) {
    if (marked + seconds(s) > budget) break;
    marked += seconds(s);
    out.fill(1, s.first, s.last + 1);
  }
  return out;
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

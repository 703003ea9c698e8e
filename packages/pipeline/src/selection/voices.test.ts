import { describe, expect, it } from 'vitest';
import { analyseVoices, clusterSegments, type VoiceFrames } from './voices.ts';

const DIMS = 32;
/** A seeded voice: a fixed direction, each window of it that direction plus noise. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}
const rand = rng(7);
const direction = () => Float32Array.from({ length: DIMS }, () => rand());
function window(of: Float32Array, noise: number): Float32Array {
  const v = of.map((x) => x + noise * rand());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** An episode as a list of [voice, seconds] turns, 0.5 s windows; null is a pause. */
function episode(
  turns: [Float32Array | null, number][],
  noise = 0.35,
): { v: VoiceFrames; speechAt: (a: number, b: number) => number; voiceAt: (sec: number) => Float32Array | null } {
  const rows: (Float32Array | null)[] = [];
  for (const [voice, sec] of turns) for (let i = 0; i < sec * 2; i++) rows.push(voice);
  const embeddings = new Float32Array(rows.length * DIMS);
  rows.forEach((r, f) => {
    embeddings.set(r ? window(r, noise) : new Float32Array(DIMS), f * DIMS);
  });
  const speechAt = (a: number, b: number) => {
    const from = Math.floor(a * 2);
    const to = Math.max(from + 1, Math.min(rows.length, Math.ceil(b * 2) - 1));
    let n = 0;
    for (let f = from; f < to; f++) n += rows[f] ? 1 : 0;
    return n / (to - from);
  };
  return { v: { frameSec: 0.5, spanSec: 1, dims: DIMS, embeddings }, speechAt, voiceAt: (sec) => rows[Math.floor(sec * 2)] ?? null };
}

describe('analyseVoices', () => {
  const host = direction();
  const guest = direction();
  const announcer = direction();

  it('marks an announcer’s block and nothing of the host and guest who talk throughout', () => {
    const turns: [Float32Array | null, number][] = [];
    for (let k = 0; k < 8; k++) turns.push([host, 12], [null, 1], [guest, 15], [null, 1]);
    turns.splice(6, 0, [announcer, 25], [null, 1]); // a mid-roll ad read by someone else
    const { v, speechAt, voiceAt } = episode(turns);
    const a = analyseVoices(v, speechAt);
    expect(a.voices.filter((x) => !x.rare)).toHaveLength(2);
    expect(a.voices.filter((x) => x.rare)).toHaveLength(1);
    let inAd = 0;
    let adFrames = 0;
    let elsewhere = 0;
    for (let f = 0; f < a.otherVoice.length; f++) {
      const a0 = voiceAt(f * 0.5) === announcer;
      const a1 = voiceAt(f * 0.5 + 0.5) === announcer;
      if (a0 && a1) {
        inAd += a.otherVoice[f]!;
        adFrames++;
      } else if (!a0 && !a1) elsewhere += a.otherVoice[f]!;
    }
    expect(inAd / adFrames).toBeGreaterThan(0.9);
    expect(elsewhere).toBe(0);
  });

  it('leaves a one-voice episode and a short interjection alone', () => {
    const mono = episode([
      [host, 200],
      [null, 2],
      [host, 100],
    ]);
    expect(analyseVoices(mono.v, mono.speechAt).otherVoice.some((x) => x > 0)).toBe(false);
    const brief = episode([
      [host, 60],
      [announcer, 3],
      [host, 60],
    ]);
    expect(analyseVoices(brief.v, brief.speechAt).otherVoice.some((x) => x > 0)).toBe(false);
  });

  it('hears nothing where the VAD hears no speech', () => {
    const quiet = episode([[null, 60]]);
    const a = analyseVoices(quiet.v, quiet.speechAt);
    expect(a.voices).toHaveLength(0);
    expect([...a.voiceOf].every((c) => c === -1)).toBe(true);
  });
});

describe('monologues', () => {
  const host = direction();
  const guest = direction();
  const stray = direction();
  /** Share of the seconds in [from, to) marked as a monologue. */
  const marked = (m: Float32Array, from: number, to: number) => {
    const xs = Array.from(m.subarray(from * 2, to * 2));
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };
  /** host 20 s intro | conversation | host-read ad 25 s (with `inAd` inside it) | conversation | host outro. */
  function show(inAd: [Float32Array | null, number][] = []) {
    const talk = (n: number): [Float32Array | null, number][] =>
      Array.from({ length: n }, (_, k): [Float32Array | null, number][] => [
        [k % 2 ? host : guest, k % 3 === 0 ? 2 : 7],
        [null, 0.5],
      ]).flat();
    return episode([[host, 20], [null, 0.5], ...talk(12), [host, 12], ...inAd, [host, 13], [null, 0.5], ...talk(12), [host, 12]]);
  }

  it('marks the host talking alone in a conversation (intro, an ad read), not the turns between', () => {
    const { v, speechAt } = show();
    const a = analyseVoices(v, speechAt);
    expect(marked(a.monologue, 1, 19)).toBeGreaterThan(0.9);
    // The ad read, 20.5 + 12 × ~5 s of conversation later.
    const adStart = 20.5 + 4 * (2 + 0.5) + 8 * (7 + 0.5);
    expect(marked(a.monologue, adStart + 1, adStart + 24)).toBeGreaterThan(0.9);
    expect(marked(a.monologue, 25, adStart - 8)).toBe(0);
    expect(marked(a.monologue, adStart + 35, adStart + 85)).toBe(0);
  });

  it('is not cut by one segment heard as a voice that speaks nowhere else', () => {
    const { v, speechAt } = show([[stray, 1.5]]);
    const a = analyseVoices(v, speechAt);
    const adStart = 20.5 + 4 * (2 + 0.5) + 8 * (7 + 0.5);
    expect(marked(a.monologue, adStart + 1, adStart + 24)).toBeGreaterThan(0.9);
  });

  it('marks nothing in a one-voice show or a conversation without long turns', () => {
    const mono = episode([
      [host, 200],
      [null, 2],
      [host, 100],
    ]);
    expect(analyseVoices(mono.v, mono.speechAt).monologue.some((x) => x > 0)).toBe(false);
    const lively: [Float32Array | null, number][] = [];
    for (let k = 0; k < 20; k++) lively.push([guest, 12], [null, 0.5], [host, 2], [null, 0.5]);
    const l = episode(lively);
    expect(analyseVoices(l.v, l.speechAt).monologue.some((x) => x > 0)).toBe(false);
  });

  it('in a show of long answers, marks only the longest stretches, up to the framing share of the talk', () => {
    // A 45 s host intro, then answers of 20 s (past the 18 s minimum) between quick exchanges: most of the talk is long stretches.
    const parts: [Float32Array | null, number][] = [
      [host, 45],
      [null, 0.5],
    ];
    for (let k = 0; k < 12; k++) parts.push([guest, 20], [null, 0.5], [host, 3], [null, 0.5], [guest, 3], [null, 0.5], [host, 3], [null, 0.5]);
    const { v, speechAt } = episode(parts);
    const a = analyseVoices(v, speechAt);
    expect(marked(a.monologue, 1, 44)).toBeGreaterThan(0.9);
    expect(marked(a.monologue, 46, 400)).toBeLessThan(0.3);
  });
});

describe('clusterSegments', () => {
  it('puts segments of one voice together and keeps different voices apart', () => {
    const a = direction();
    const b = direction();
    const segs = [a, a, b, a, b, b, a].map((x) => window(x, 0.2));
    const c = clusterSegments(segs);
    expect([...c]).toEqual([0, 0, 1, 0, 1, 1, 0]);
  });
});

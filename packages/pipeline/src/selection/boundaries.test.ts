import { DEFAULT_SELECTION_WEIGHTS } from '@podpreview/shared';
import { describe, expect, it } from 'vitest';
import { buildFeatures } from './features.ts';
import { chooseWindow, quietRuns } from './window.ts';

const FRAME = 0.032;

describe('quietRuns', () => {
  it("gives each frame its run's length under the threshold, 0 in speech, and the opening run as long", () => {
    const r = quietRuns(Float32Array.from([0.1, 0.1, 0.9, 0.3, 0.3, 0.1, 0.9]), 0.5, 0.5);
    expect(Array.from(r)).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 1.5, 1.5, 1.5, 0]);
    // With a lower threshold, what the VAD half hears is not quiet.
    expect(Array.from(quietRuns(Float32Array.from([0.9, 0.3, 0.3, 0.1, 0.9]), 0.5, 0.2))).toEqual([0, 0, 0, 0.5, 0]);
  });
});

/** 200 s of speech at p = 0.9, with `gaps` of [fromSec, toSec, p] set to p. */
function vad(gaps: [number, number, number][]): Float32Array {
  const p = new Float32Array(Math.ceil(200 / FRAME)).fill(0.9);
  for (const [a, b, v] of gaps) p.fill(v, Math.round(a / FRAME), Math.round(b / FRAME));
  return p;
}

function choose(speech: Float32Array, candidatesSec: number[], withTranscript: boolean) {
  const v = { frameSec: FRAME, speech };
  const sentences = withTranscript ? candidatesSec.map((s) => ({ startSec: s, endSec: s + 58.8, scores: { centrality: 0.5 } })) : [];
  return chooseWindow({
    features: buildFeatures({ durationSec: 200, vad: v, sentences }),
    vad: v,
    candidatesSec,
    sentenceEndsSec: sentences.map((s) => s.endSec),
    audioOnly: !withTranscript,
    durationSec: 200,
    windowSec: 60,
    weights: { ...DEFAULT_SELECTION_WEIGHTS, edges: 0 },
  });
}

describe('the quiet before a start', () => {
  // Two onsets, each after 1 s under the VAD's decision point: at 60 s after a voice it half hears, at 90 s after silence.
  const speech = vad([
    [59, 60, 0.35],
    [89, 90, 0.02],
    [118.9, 119.3, 0.02],
    [148.9, 149.3, 0.02],
  ]);

  it('without a transcript, counts only clear quiet: an onset after half-heard speech pays the start bonus', () => {
    const clear = choose(speech, [90], false);
    const halfHeard = choose(speech, [60], false);
    expect(clear.contributions.startPause).toBeCloseTo(DEFAULT_SELECTION_WEIGHTS.startPause, 2);
    // Not a pause but a voice half heard: the onset is inside an utterance, and the start pays the bonus.
    expect(halfHeard.contributions.startPause).toBeCloseTo(-DEFAULT_SELECTION_WEIGHTS.startPause, 3);
    // Ties go to the earlier start; the quiet before the later one decides.
    expect(choose(speech, [60, 90], false).startSec).toBe(90);
  });

  it('with a transcript too: a cue start after a pause beats a sentence interpolated inside speech', () => {
    const c = choose(speech, [60, 90], true);
    expect(c.startSec).toBe(90);
    expect(c.contributions.startPause).toBeGreaterThan(0);
  });
});

describe('the quiet at an end', () => {
  it('gives a clean end its whole bonus between turns, a share between two sentences of one turn', () => {
    // Starts at 20 and 100 s after clear quiet; the first window ends (sentence end + 0.2 s) in a 0.2 s gap, the second in a 0.8 s one.
    const speech = vad([
      [19, 20, 0.02],
      [78.9, 79.1, 0.02],
      [99, 100, 0.02],
      [158.6, 159.4, 0.02],
    ]);
    const first = choose(speech, [20], true);
    const second = choose(speech, [100], true);
    expect(first.endSec).toBeCloseTo(79, 3);
    expect(second.contributions.sentenceEnd).toBeCloseTo(DEFAULT_SELECTION_WEIGHTS.sentenceEnd, 3);
    expect(first.contributions.sentenceEnd).toBeGreaterThan(0);
    expect(first.contributions.sentenceEnd).toBeLessThan(0.6 * DEFAULT_SELECTION_WEIGHTS.sentenceEnd);
    expect(choose(speech, [20, 100], true).startSec).toBe(100);
  });
});

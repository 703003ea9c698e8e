import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION_WEIGHTS, type SelectionWeights } from '@podpreview/shared';
import { blockEvidence, buildFeatures, sentenceEvidence } from './features.ts';
import { snapToOnsets, speechOnsets } from './onsets.ts';
import { chooseWindow } from './window.ts';

const FRAME = 0.032;
// The shipped weights, with the start bonus these cases were written for.
const WEIGHTS: SelectionWeights = { ...DEFAULT_SELECTION_WEIGHTS, startPause: 0.1 };

/** A VAD track: `spans` of [fromSec, toSec) are speech (p = 0.9), the rest 0.05. */
function vadTrack(durationSec: number, spans: [number, number][]): Float32Array {
  const p = new Float32Array(Math.ceil(durationSec / FRAME)).fill(0.05);
  for (const [a, b] of spans) for (let i = Math.round(a / FRAME); i < Math.round(b / FRAME); i++) p[i] = 0.9;
  return p;
}

/** Sentences every 5 s across [from, to), each with the given scores. */
function sentences(from: number, to: number, scores: Record<string, number> = {}) {
  const out = [];
  for (let t = from; t + 4.5 <= to; t += 5) out.push({ startSec: t, endSec: t + 4.5, scores: { ad: 0, intro: 0, outro: 0, centrality: 0.5, ...scores } });
  return out;
}

function choose(
  durationSec: number,
  speech: Float32Array,
  sents: ReturnType<typeof sentences>,
  extra: Partial<Parameters<typeof buildFeatures>[0]> = {},
  audioOnly = false,
) {
  const vad = { frameSec: FRAME, speech };
  const features = buildFeatures({ durationSec, vad, sentences: audioOnly ? [] : sents, ...extra });
  return chooseWindow({
    features,
    vad,
    candidatesSec: sents.map((s) => s.startSec),
    sentenceEndsSec: audioOnly ? [] : sents.map((s) => s.endSec),
    audioOnly,
    durationSec,
    windowSec: 60,
    weights: WEIGHTS,
  });
}

describe('speechOnsets', () => {
  it('finds each speech run after a pause, not every frame', () => {
    const onsets = speechOnsets(
      vadTrack(30, [
        [5, 10],
        [10.1, 12],
        [15, 30],
      ]),
      FRAME,
    );
    expect(onsets).toHaveLength(2);
    expect(onsets[0]).toBeCloseTo(5, 1);
    expect(onsets[1]).toBeCloseTo(15, 1);
  });
});

describe('chooseWindow', () => {
  it('skips a music lead-in: starts on a sentence in the speech and ends just after one', () => {
    const c = choose(120, vadTrack(120, [[15, 120]]), sentences(15, 120));
    expect(c.startSec).toBeGreaterThanOrEqual(15);
    expect((c.startSec - 15) % 5).toBe(0);
    // Sentences run t … t + 4.5 every 5 s: the end lands 0.2 s after one, within 60 ± 1 s.
    expect((c.endSec - 15 - 4.7 + 100) % 5).toBeCloseTo(0, 6);
    expect(Math.abs(c.endSec - c.startSec - 60)).toBeLessThanOrEqual(1);
    expect(c.speechFraction).toBeGreaterThan(0.95);
  });

  it('steps past an ad read and an intro even though they are all speech', () => {
    const sents = [...sentences(0, 20, { intro: 0.95 }), ...sentences(20, 50, { ad: 0.9 }), ...sentences(50, 200)];
    const c = choose(200, vadTrack(200, [[0, 200]]), sents);
    expect(c.startSec).toBeGreaterThanOrEqual(50);
    expect(c.contributions.ad).toBe(0);
    expect(c.contributions.introOutro).toBe(0);
  });

  it('avoids music without speech, but not speech over a quiet bed more than it must', () => {
    const dur = 200;
    const music = new Float32Array(dur * 2).fill(0);
    for (let i = 0; i < 60; i++) music[i] = 0.95; // 0–30 s music, no speech
    const c = choose(dur, vadTrack(dur, [[30, dur]]), sentences(0, dur), { soundEvents: { frameSec: 0.5, spanSec: 1, music } });
    expect(c.startSec).toBeGreaterThanOrEqual(30);
  });

  it('costs a second of ad more than any topicality difference between clean windows', () => {
    const sents = [...sentences(0, 45, { centrality: 1 }), ...sentences(45, 60, { ad: 0.95 }), ...sentences(60, 200, { centrality: 0.2 })];
    const c = choose(200, vadTrack(200, [[0, 200]]), sents);
    expect(c.startSec).toBeGreaterThanOrEqual(60);
  });

  it('leans away from the episode’s opening and closing minutes, with or without a transcript', () => {
    const speechAll = vadTrack(300, [[0, 300]]);
    const starts = sentences(0, 300);
    for (const audioOnly of [true, false]) {
      const c = choose(300, speechAll, starts, {}, audioOnly);
      expect(c.startSec).toBeGreaterThanOrEqual(60);
      expect(c.endSec).toBeLessThanOrEqual(270);
    }
  });

  it('prefers a window without a long silence', () => {
    const c = choose(
      150,
      vadTrack(150, [
        [0, 40],
        [46, 150],
      ]),
      sentences(0, 150),
    );
    expect(c.startSec).toBeGreaterThanOrEqual(45);
    expect(c.contributions.silence).toBe(0);
  });

  it('shortens the window only when the episode is shorter', () => {
    const c = choose(40, vadTrack(40, [[0.5, 40]]), sentences(0.5, 40));
    expect(c.startSec).toBe(0);
    expect(c.endSec).toBe(40);
  });

  it('ends cleanly: after a transcript sentence within 60 ± 1 s, or in a VAD pause without one', () => {
    // Sentences of 7 s with 0.6 s pauses: a fixed 60 s window from 0.5 would stop mid-sentence.
    const long = Array.from({ length: 15 }, (_, k) => ({
      startSec: 0.5 + 7.6 * k,
      endSec: 7.5 + 7.6 * k,
      scores: { ad: 0, intro: 0, outro: 0, centrality: 0.5 },
    }));
    const speech = vadTrack(
      120,
      long.map((x) => [x.startSec, x.endSec] as [number, number]),
    );
    const withText = choose(120, speech, long);
    const length = withText.endSec - withText.startSec;
    expect(length).toBeGreaterThanOrEqual(59);
    expect(length).toBeLessThanOrEqual(61);
    const cut = (end: number) => long.some((x) => end > x.startSec + 0.1 && end < x.endSec - 0.1);
    expect(cut(withText.startSec + 60)).toBe(true);
    expect(cut(withText.endSec)).toBe(false);
    expect(withText.contributions.sentenceEnd).toBe(WEIGHTS.sentenceEnd);

    const audioOnly = choose(120, speech, long, {}, true);
    expect(audioOnly.endSec - audioOnly.startSec).toBeGreaterThanOrEqual(59);
    expect(audioOnly.endSec - audioOnly.startSec).toBeLessThanOrEqual(61);
    expect(cut(audioOnly.endSec)).toBe(false);
  });

  it('without a transcript, ends in a pause between sentences rather than a breath inside one', () => {
    // Sentences of 7 s with 0.6 s between them, each with a 0.15 s breath in its middle.
    const spans: [number, number][] = [];
    const lines: [number, number][] = [];
    for (let t = 0.5; t + 7 <= 150; t += 7.6) {
      spans.push([t, t + 3.4], [t + 3.55, t + 7]);
      lines.push([t, t + 7]);
    }
    const c = choose(150, vadTrack(150, spans), sentences(0, 0), {}, true);
    const inside = (x: number) => lines.some(([a, b]) => x > a + 0.1 && x < b - 0.1);
    expect(inside(c.endSec)).toBe(false);
    expect(c.contributions.sentenceEnd).toBe(WEIGHTS.pauseEnd);
    expect(Math.abs(c.endSec - c.startSec - 60)).toBeLessThanOrEqual(1);
  });

  it('without a transcript, starts where a line starts, not after a pause inside one', () => {
    // Lines of 9 s, 1 s apart, each with a 0.4 s pause inside: both are speech onsets.
    const spans: [number, number][] = [];
    const lineStarts: number[] = [];
    for (let t = 0.5; t + 9 <= 200; t += 10) {
      spans.push([t, t + 4], [t + 4.4, t + 9]);
      lineStarts.push(t);
    }
    const speech = vadTrack(200, spans);
    const vad = { frameSec: FRAME, speech };
    const features = buildFeatures({ durationSec: 200, vad });
    const c = chooseWindow({
      features,
      vad,
      candidatesSec: speechOnsets(speech, FRAME),
      sentenceEndsSec: [],
      audioOnly: true,
      durationSec: 200,
      windowSec: 60,
      weights: WEIGHTS,
    });
    expect(Math.min(...lineStarts.map((t) => Math.abs(t - c.startSec)))).toBeLessThan(0.1);
    const noStartBonus = chooseWindow({
      features,
      vad,
      candidatesSec: [c.startSec + 4.4],
      sentenceEndsSec: [],
      audioOnly: true,
      durationSec: 200,
      windowSec: 60,
      weights: WEIGHTS,
    });
    expect(c.contributions.startPause!).toBeGreaterThan(noStartBonus.contributions.startPause!);
  });

  it('keeps 60 s and says it did not end cleanly when speech runs on through the slack', () => {
    const c = choose(120, vadTrack(120, [[0.5, 120]]), [{ startSec: 0.5, endSec: 119, scores: { ad: 0, intro: 0, outro: 0, centrality: 0.5 } }]);
    expect(c.endSec - c.startSec).toBeCloseTo(60, 6);
    expect(c.contributions.sentenceEnd).toBe(0);
  });

  it('never runs past the end', () => {
    const c = choose(90, vadTrack(90, [[70, 90]]), sentences(70, 90));
    expect(c.endSec).toBeLessThanOrEqual(90);
    expect(c.startSec).toBe(30);
  });
});

describe('blockEvidence', () => {
  it('fills a miss inside a block and drops a lone high score in content', () => {
    expect(Array.from(blockEvidence([0.05, 0.9, 0.05, 0.95, 0.8, 0.02]), (x) => +x.toFixed(2))).toEqual([0.45, 0, 1, 1, 1, 0.32]);
    expect(Array.from(blockEvidence([0.01, 0.02, 0.9, 0.02, 0.01]))).toEqual([0, 0, 0, 0, 0]);
  });

  it('ignores the low scores classifiers give ordinary sentences', () => {
    expect(Array.from(blockEvidence([0.2, 0.22, 0.1, 0.24]))).toEqual([0, 0, 0, 0]);
  });
});

describe('sentenceEvidence', () => {
  it('takes the context model’s scores when every sentence has them', () => {
    const sents = [
      { scores: { ad: 0.9, intro: 0, outro: 0, adContext: 0.95, introContext: 0.1, outroContext: 0 } },
      { scores: { ad: 0.1, intro: 0, outro: 0, adContext: 0.8, introContext: 0, outroContext: 0.6 } },
      { scores: { ad: 0.05, intro: 0, outro: 0, adContext: 0.2, introContext: 0, outroContext: 0 } },
    ];
    const e = sentenceEvidence(sents);
    expect(Array.from(e.adEvidence, (x) => +x.toFixed(2))).toEqual([1, 1, 0]);
    expect(Array.from(e.ioEvidence, (x) => +x.toFixed(2))).toEqual([0, 0.7, 0]);
  });

  it('keeps a sentence the one-sentence classifier is sure is an ad, whatever its context says', () => {
    const sents = [
      { scores: { ad: 0.01, intro: 0, outro: 0.7, adContext: 0.01, introContext: 0, outroContext: 0.01 } },
      { scores: { ad: 1, intro: 0, outro: 0, adContext: 0.21, introContext: 0, outroContext: 0 } },
      { scores: { ad: 0.87, intro: 0, outro: 0, adContext: 0.2, introContext: 0, outroContext: 0 } },
    ];
    expect(Array.from(sentenceEvidence(sents).adEvidence)).toEqual([0, 1, 0]);
  });

  it('falls back to the median over neighbours without them', () => {
    const sents = [0.05, 0.9, 0.05, 0.95, 0.8, 0.02].map((ad) => ({ scores: { ad } }));
    expect(Array.from(sentenceEvidence(sents).adEvidence)).toEqual(Array.from(blockEvidence(sents.map((s) => s.scores.ad))));
  });
});

describe('buildFeatures', () => {
  it('spreads sentence scores over their seconds and marks long silences', () => {
    const sents: { startSec: number; endSec: number; scores: Record<string, number> }[] = [
      { startSec: 0, endSec: 4.5, scores: { ad: 0.9 } },
      { startSec: 5, endSec: 9.5, scores: { ad: 0.9 } },
      { startSec: 14, endSec: 21, scores: { ad: 0.1, outro: 0.8 } },
      { startSec: 22, endSec: 29, scores: { ad: 0.1, outro: 0.8 } },
    ];
    const f = buildFeatures(
      {
        durationSec: 30,
        vad: {
          frameSec: FRAME,
          speech: vadTrack(30, [
            [0, 10],
            [14, 30],
          ]),
        },
        sentences: sents,
      },
      1,
    );
    expect(f.ad[3]).toBeCloseTo(1);
    expect(f.ad[20]).toBe(0);
    expect(f.introOutro[25]).toBeCloseTo(1);
    expect(Array.from(f.longSilence.slice(10, 14))).toEqual([1, 1, 1, 1]);
    expect(f.longSilence[5]).toBe(0);
  });
});

describe('musicWithoutSpeech', () => {
  it('counts music where nobody speaks for over 1.5 s, not the pauses in talk over a bed', () => {
    const music = new Float32Array(120).fill(0.9); // 60 s of music everywhere, 0.5 s frames
    // Talk over the bed from 10 s with 0.8 s pauses between sentences; music alone before.
    const spans: [number, number][] = [];
    for (let t = 10; t + 4 <= 60; t += 4.8) spans.push([t, t + 4]);
    const f = buildFeatures({ durationSec: 60, vad: { frameSec: FRAME, speech: vadTrack(60, spans) }, soundEvents: { frameSec: 0.5, spanSec: 1, music } }, 0.1);
    const sum = (a: number, b: number) => f.musicWithoutSpeech.slice(a * 10, b * 10).reduce((x, y) => x + y, 0) / ((b - a) * 10);
    expect(sum(0, 9)).toBeGreaterThan(0.85);
    expect(sum(10, 57)).toBe(0);
  });
});

describe('snapToOnsets', () => {
  it('pulls interpolated starts onto nearby onsets, once each, and leaves far ones alone', () => {
    expect(snapToOnsets([10, 14.3, 20, 30], [10.1, 14.9, 25])).toEqual([10.1, 14.9, 20, 30]);
    expect(snapToOnsets([5, 5.2], [5.1])).toEqual([5.1, 5.2]);
  });
});

import { describe, expect, it } from 'vitest';
import { chooseWindow, perSecondSpeech, speechOnsets } from './score.ts';

const FRAME = 0.032;
/** A VAD track: `spans` of [fromSec, toSec) are speech (p = 0.9), the rest 0.05. */
function track(durationSec: number, spans: [number, number][]): Float32Array {
  const p = new Float32Array(Math.ceil(durationSec / FRAME)).fill(0.05);
  for (const [a, b] of spans) for (let i = Math.round(a / FRAME); i < Math.round(b / FRAME); i++) p[i] = 0.9;
  return p;
}

describe('speechOnsets', () => {
  it('finds each speech run after a pause, not every frame', () => {
    const onsets = speechOnsets(track(30, [[5, 10], [10.1, 12], [15, 30]]), FRAME);
    expect(onsets).toHaveLength(2);
    expect(onsets[0]).toBeCloseTo(5, 1);
    expect(onsets[1]).toBeCloseTo(15, 1);
  });
});

describe('chooseWindow', () => {
  it('skips a music lead-in: picks the first candidate with a full window of speech', () => {
    const p = track(120, [[15, 120]]);
    const c = chooseWindow(p, FRAME, [0, 8, 15.2, 30, 50], 120, 60);
    expect(c.startSec).toBe(15.2);
    expect(c.endSec).toBeCloseTo(75.2, 3);
    expect(c.speechFraction).toBeGreaterThan(0.95);
  });

  it('shortens the window only when the episode is shorter', () => {
    const c = chooseWindow(track(40, [[0.5, 40]]), FRAME, [0.5, 10], 40, 60);
    expect(c.startSec).toBe(0);
    expect(c.endSec).toBe(40);
  });

  it('never returns a window running past the end', () => {
    const c = chooseWindow(track(90, [[70, 90]]), FRAME, [70, 80], 90, 60);
    expect(c.endSec).toBeLessThanOrEqual(90);
    expect(c.startSec).toBe(30);
  });
});

describe('perSecondSpeech', () => {
  it('averages frames per second', () => {
    const t = perSecondSpeech(track(4, [[2, 4]]), FRAME);
    expect(t).toHaveLength(4);
    expect(t[0]).toBeLessThan(0.1);
    expect(t[3]).toBeGreaterThan(0.85);
  });
});

import { describe, expect, it } from 'vitest';
import { candidateStarts } from './candidates.ts';

const FRAME = 0.032;
function vad(durationSec: number, spans: [number, number][]) {
  const speech = new Float32Array(Math.ceil(durationSec / FRAME)).fill(0.05);
  for (const [a, b] of spans) for (let i = Math.round(a / FRAME); i < Math.round(b / FRAME); i++) speech[i] = 0.9;
  return { frameSec: FRAME, speech };
}
const sentence = (startSec: number, endSec: number) => ({ startSec, endSec, text: 'x', scores: {} });

describe('candidateStarts', () => {
  it('without a transcript, starts at each speech onset after a pause', () => {
    const c = candidateStarts(
      vad(30, [
        [2, 10],
        [10.1, 12],
        [15, 30],
      ]),
      undefined,
    );
    expect(c.path).toBe('audio-only');
    expect(c.sentences).toEqual([]);
    expect(c.startsSec.map((s) => Math.round(s))).toEqual([2, 15]);
  });

  it('with a transcript, moves each sentence start onto the speech onset nearby, never past its end', () => {
    const c = candidateStarts(
      vad(30, [
        [5.3, 9],
        [9.2, 14],
        [20, 30],
      ]),
      [sentence(5, 9), sentence(9.5, 14), sentence(17, 17.2)],
    );
    expect(c.path).toBe('transcript');
    expect(c.startsSec[0]).toBeCloseTo(5.312, 2);
    // 0.2 s of quiet counts as a pause between sentences (0.1 s minimum).
    expect(c.startsSec[1]).toBeCloseTo(9.216, 2);
    // No onset within reach: the cue time stays.
    expect(c.startsSec[2]).toBe(17);
    expect(c.sentences.map((s) => s.startSec)).toEqual(c.startsSec);
  });
});

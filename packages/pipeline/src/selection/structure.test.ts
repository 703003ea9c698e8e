import { describe, expect, it } from 'vitest';
import { P } from './params.ts';
import { edgePrior, guestIntroductions, talkExtent } from './structure.ts';

const STEP = 0.1;
/** Speech (p = 0.9) over [from, to) seconds of a `durationSec` timeline, 0 elsewhere. */
function speech(durationSec: number, spans: [number, number][]): Float32Array {
  const p = new Float32Array(Math.round(durationSec / STEP));
  for (const [a, b] of spans) p.fill(0.9, Math.round(a / STEP), Math.round(b / STEP));
  return p;
}

describe('talkExtent', () => {
  it('runs from the first to the last run of speech, past music lead-ins and blips the VAD hears in music', () => {
    const s = speech(300, [
      [5, 5.3],
      [20, 140],
      [142, 270],
      [290, 290.4],
    ]);
    const t = talkExtent(s, STEP, 300);
    expect(t.fromSec).toBeCloseTo(20, 5);
    expect(t.toSec).toBeCloseTo(270, 5);
  });

  it('is the whole episode when nobody talks', () => {
    expect(talkExtent(new Float32Array(100), STEP, 10)).toEqual({ fromSec: 0, toSec: 10 });
  });
});

describe('edgePrior', () => {
  it('is 1 outside the talk and at its ends, 0 in its middle, measured on the talk not the file', () => {
    const talk = { fromSec: 20, toSec: 270 };
    const e = edgePrior(3000, STEP, talk);
    const at = (sec: number) => e[Math.floor(sec / STEP)]!;
    expect(at(5)).toBe(1);
    expect(at(20.05)).toBeGreaterThan(0.99);
    expect(at(150)).toBe(0);
    expect(at(269.95)).toBeGreaterThan(0.99);
    expect(at(290)).toBe(1);
    // The closing ramp starts edgeTailShare of the talk before its end, not of the file before the file's end.
    const rampStart = talk.toSec - Math.max(P.edgeMinSec, P.edgeTailShare * (talk.toSec - talk.fromSec));
    expect(at(rampStart - 0.5)).toBe(0);
    expect(at(rampStart + 5)).toBeGreaterThan(0);
  });

  it('ramps over at least edgeMinSec in a short episode, where a share of the talk is shorter than an outro', () => {
    const talk = { fromSec: 0, toSec: 150 };
    const e = edgePrior(1500, STEP, talk);
    const at = (sec: number) => e[Math.floor(sec / STEP)]!;
    expect(P.edgeTailShare * 150).toBeLessThan(P.edgeMinSec);
    expect(at(150 - P.edgeMinSec + 2)).toBeGreaterThan(0);
    expect(at(P.edgeMinSec - 2)).toBeGreaterThan(0);
    expect(at(75)).toBe(0);
  });
});

describe('guestIntroductions', () => {
  // 1 s voice frames over 600 s: host (0) and guest (1) from the start, a second guest (2) first heard at 400 s, a rare voice (3) at 300 s.
  const voiceOf = Int32Array.from({ length: 600 }, (_, f) => (f >= 300 && f < 310 ? 3 : f >= 400 && f % 20 < 10 ? 2 : f % 20 < 10 ? 0 : 1));
  const voices = [{ share: 0.4 }, { share: 0.3 }, { share: 0.25 }, { share: 0.02 }];
  const talk = { fromSec: 0, toSec: 600 };

  it('marks the seconds before a main voice first heard mid-episode, not before the opening voices or a rare one', () => {
    const m = guestIntroductions(voiceOf, voices, 1, talk);
    const marked = (a: number, b: number) => m.subarray(a, b).reduce((x, y) => x + y, 0);
    expect(marked(400 - P.guestIntroSec, 400)).toBe(P.guestIntroSec);
    expect(marked(0, 400 - P.guestIntroSec)).toBe(0);
    expect(marked(400, 600)).toBe(0);
  });

  it('marks nothing for a voice first heard in the opening', () => {
    const early = Int32Array.from(voiceOf, (c, f) => (f >= 20 && f < 30 ? 2 : c));
    expect(guestIntroductions(early, voices, 1, talk).some((x) => x > 0)).toBe(false);
  });
});

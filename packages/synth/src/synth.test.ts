import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrange, barSeconds } from './arrange.ts';
import { encodeSmf, vlq } from './midi.ts';
import { concat, fadeIn, mixInto, SAMPLE_RATE, silence, toSec } from './pcm.ts';
import { mulberry32, shuffled } from './prng.ts';
import { checkSentence } from './speech.ts';
import { Timeline } from './timeline.ts';
import { timestamp, toSrt, toVtt } from './transcript.ts';
import { readWav, writeWav } from './wav.ts';

describe('MIDI', () => {
  it('encodes variable-length quantities', () => {
    expect(vlq(0)).toEqual([0]);
    expect(vlq(0x7f)).toEqual([0x7f]);
    expect(vlq(0x80)).toEqual([0x81, 0x00]);
    expect(vlq(0x0fffffff)).toEqual([0xff, 0xff, 0xff, 0x7f]);
  });

  it('writes a format-0 file with one track ending in end-of-track', () => {
    const { events, endTick } = arrange({
      bpm: 120,
      chords: [
        [60, 64, 67],
        [65, 69, 72],
      ],
      keys: 0,
      pad: 48,
      bass: 33,
      comping: 'block',
      drums: 'none',
      seconds: 4,
      fadeSeconds: 1,
    });
    const smf = encodeSmf(events, endTick);
    expect(smf.toString('ascii', 0, 4)).toBe('MThd');
    expect(smf.readUInt16BE(8)).toBe(0); // format 0
    expect(smf.toString('ascii', 14, 18)).toBe('MTrk');
    expect(smf.readUInt32BE(18)).toBe(smf.length - 22);
    expect([...smf.subarray(-3)]).toEqual([0xff, 0x2f, 0x00]);
    expect(events.some((e) => (e.bytes[0]! & 0x0f) === 9)).toBe(false); // drums: none
    expect(barSeconds(120)).toBe(2);
  });
});

describe('PCM, WAV and the timeline', () => {
  it('round-trips 16-bit WAV', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synth-test-'));
    try {
      const pcm = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10) * 0.5);
      writeWav(path.join(dir, 'a.wav'), pcm);
      const back = readWav(path.join(dir, 'a.wav'));
      expect(back.length).toBe(pcm.length);
      for (let i = 0; i < pcm.length; i += 97) expect(back[i]).toBeCloseTo(pcm[i]!, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('places clips with exact gaps between their contents, pads included', () => {
    const tl = new Timeline();
    const clip = { pcm: new Float32Array(100).fill(0.5), leadPad: 10, tailPad: 20 };
    const a = tl.place(clip, 0.01);
    expect(a.start).toBe(Math.round(0.01 * SAMPLE_RATE));
    expect(a.end - a.start).toBe(70);
    const b = tl.place(clip, 0.5);
    expect(b.gapStart).toBe(a.end);
    expect(b.start - a.end).toBe(Math.round(0.5 * SAMPLE_RATE));
    const out = tl.finish(0.1);
    expect(out.length).toBe(b.end + Math.round(0.1 * SAMPLE_RATE));
  });

  it('mixes overlays at a gain when finished', () => {
    const tl = new Timeline();
    tl.place({ pcm: new Float32Array(50).fill(0.2), leadPad: 0, tailPad: 0 }, 0);
    tl.overlay(new Float32Array(100).fill(1), 40, 0.5);
    const out = tl.finish(0);
    expect(out[39]).toBeCloseTo(0.2);
    expect(out[45]).toBeCloseTo(0.7);
    expect(out.length).toBe(50); // overlays never lengthen the timeline
    const dst = new Float32Array(4);
    mixInto(dst, Float32Array.of(1, 1, 1), -1, 2);
    expect([...dst]).toEqual([2, 2, 0, 0]);
  });

  it('fades, concatenates and makes silence by sample counts', () => {
    expect(concat([silence(0.01), new Float32Array(5)]).length).toBe(Math.round(0.01 * SAMPLE_RATE) + 5);
    const faded = fadeIn(new Float32Array(SAMPLE_RATE).fill(1), 0.5);
    expect(faded[0]).toBeLessThan(0.001);
    expect(faded[SAMPLE_RATE - 1]).toBe(1);
    expect(toSec(SAMPLE_RATE * 2)).toBe(2);
  });
});

describe('text helpers', () => {
  it('formats WebVTT and SRT cue times from integer milliseconds', () => {
    expect(timestamp(3723.4567, '.')).toBe('01:02:03.457');
    const cues = [{ startSec: 1, endSec: 2.5, text: 'One.' }];
    expect(toVtt(cues)).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nOne.\n');
    expect(toSrt(cues)).toBe('1\n00:00:01,000 --> 00:00:02,500\nOne.\n');
  });

  it('accepts exactly one sentence of an allowed length', () => {
    expect(() => checkSentence('This sentence has exactly eight words in it.')).not.toThrow();
    expect(() => checkSentence('Too short.')).toThrow(/words/);
    expect(() => checkSentence('One sentence here. And another one follows it now.', { minWords: 3, maxWords: 30 })).toThrow(/single sentence/);
  });

  it('shuffles deterministically from a seed', () => {
    expect(shuffled(mulberry32(1), [1, 2, 3, 4, 5])).toEqual(shuffled(mulberry32(1), [1, 2, 3, 4, 5]));
  });
});

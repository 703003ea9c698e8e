import { describe, expect, it } from 'vitest';
import { copyPcm, copyPcmHalfRate } from './pcm.ts';

describe('PCM copies', () => {
  it('reads 16-bit samples as float32 in ±1 and float32 as is, leaving what lies past the end', () => {
    const dst = new Float32Array(4).fill(9);
    copyPcm(dst, 1, Int16Array.from([-32768, 16384, 0]), 0, 5);
    expect([...dst]).toEqual([9, -1, 0.5, 0]);
    copyPcm(dst, 0, Float32Array.from([0.25, -0.25]), 1, 2);
    expect(dst[0]).toBe(-0.25);
  });

  it('halves the rate: a low tone passes at full level, a tone above the new Nyquist is attenuated', () => {
    const rate = 16_000;
    const tone = (hz: number) => Int16Array.from({ length: rate }, (_, i) => Math.round(16_000 * Math.sin((2 * Math.PI * hz * i) / rate)));
    const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    const half = (src: Int16Array) => {
      const out = new Float32Array(rate / 2);
      copyPcmHalfRate(out, 0, src, 0, rate);
      return out;
    };
    const input = 16_000 / 32_768 / Math.SQRT2;
    expect(rms(half(tone(300)))).toBeGreaterThan(0.95 * input);
    expect(rms(half(tone(7000)))).toBeLessThan(0.15 * input);
  });

  it('halves the rate the same way at the edges of the audio as inside it: each tap past an end reads the edge sample', () => {
    // The filter written out once, testing every output for the edges.
    const reference = (src: Int16Array, from: number, to: number) => {
      const last = src.length - 1;
      const x = (k: number) => src[Math.max(0, Math.min(k, last))]! / 32_768;
      const n = Math.min(Math.floor((to - from) / 2), Math.floor((last - from) / 2) + 1);
      return Array.from({ length: n }, (_, i) => {
        const c = from + 2 * i;
        return (16 * x(c) + 9 * (x(c - 1) + x(c + 1)) - (x(c - 3) + x(c + 3))) / 32;
      });
    };
    const src = Int16Array.from({ length: 41 }, (_, i) => ((i * 7919) % 65_536) - 32_768);
    for (const [from, to] of [
      [0, 41],
      [0, 8],
      [2, 12],
      [4, 40],
      [30, 60],
      [38, 44],
      [0, 2],
    ] as const) {
      const out = new Float32Array(40).fill(9);
      copyPcmHalfRate(out, 1, src, from, to);
      const want = reference(src, from, to);
      expect(
        [...out.subarray(1, 1 + want.length)].map((v) => v.toFixed(5)),
        `${from}-${to}`,
      ).toEqual(want.map((v) => v.toFixed(5)));
      expect(out[1 + want.length], `${from}-${to} writes nothing past its outputs`).toBe(9);
      expect(out[0]).toBe(9);
    }
  });
});

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
});

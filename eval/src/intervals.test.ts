import { describe, expect, it } from 'vitest';
import { bootstrapMean, quantile, wilson, Z_95 } from './intervals.ts';

/** A seeded source for the simulations (independent of the one inside intervals.ts). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('wilson', () => {
  it('matches the closed forms at 0 and n successes', () => {
    const z2 = Z_95 * Z_95;
    // All n: the lower end is n / (n + z²); none: the upper end is z² / (n + z²).
    expect(wilson(12, 12).lo).toBeCloseTo(12 / (12 + z2), 10);
    expect(wilson(12, 12).hi).toBe(1);
    expect(wilson(0, 10).hi).toBeCloseTo(z2 / (10 + z2), 10);
    expect(wilson(0, 10).lo).toBe(0);
  });

  it('is symmetric in successes and failures, and narrows as n grows', () => {
    const a = wilson(7, 40);
    const b = wilson(33, 40);
    expect(a.lo).toBeCloseTo(1 - b.hi, 12);
    expect(a.hi).toBeCloseTo(1 - b.lo, 12);
    const small = wilson(9, 10);
    const large = wilson(90, 100);
    expect(large.hi - large.lo).toBeLessThan(small.hi - small.lo);
    expect(large.lo).toBeLessThan(0.9);
    expect(large.hi).toBeGreaterThan(0.9);
  });

  it('covers the true share about 95 % of the time', () => {
    const next = lcg(42);
    for (const [p, n] of [
      [0.9, 24],
      [0.5, 60],
      [0.97, 100],
    ] as const) {
      let covered = 0;
      const trials = 2000;
      for (let t = 0; t < trials; t++) {
        let k = 0;
        for (let i = 0; i < n; i++) if (next() < p) k++;
        const w = wilson(k, n);
        if (w.lo <= p && p <= w.hi) covered++;
      }
      expect(covered / trials, `p ${p}, n ${n}`).toBeGreaterThan(0.92);
      expect(covered / trials, `p ${p}, n ${n}`).toBeLessThan(0.99);
    }
  });

  it('refuses impossible counts and gives no interval for no episodes', () => {
    expect(() => wilson(5, 4)).toThrow();
    expect(() => wilson(1.5, 4)).toThrow();
    expect(Number.isNaN(wilson(0, 0).value)).toBe(true);
  });
});

describe('quantile', () => {
  it('interpolates between sorted values', () => {
    expect(quantile([0, 10], 0.25)).toBeCloseTo(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
  });
});

describe('bootstrapMean', () => {
  it('gives the mean, and a zero-width interval for constant values', () => {
    const e = bootstrapMean([2, 2, 2, 2]);
    expect(e).toMatchObject({ value: 2, lo: 2, hi: 2, n: 4 });
  });

  it('repeats for the same seed and keeps the mean inside', () => {
    const values = [0, 0, 0, 0, 0, 12, 0, 0, 3, 0, 0, 0];
    const a = bootstrapMean(values, { seed: 9 });
    expect(bootstrapMean(values, { seed: 9 })).toEqual(a);
    expect(a.value).toBeCloseTo(15 / 12);
    expect(a.lo).toBeLessThanOrEqual(a.value);
    expect(a.hi).toBeGreaterThan(a.value);
    // Never below the smallest value: bad seconds cannot have a negative mean.
    expect(a.lo).toBeGreaterThanOrEqual(0);
  });

  it('covers the true mean of a skewed distribution most of the time', () => {
    const next = lcg(7);
    // Mostly zero, sometimes a long miss: like bad overlap (true mean 0.2 * 10 = 2).
    const draw = () => (next() < 0.2 ? -Math.log(1 - next()) * 10 : 0);
    let covered = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const values = Array.from({ length: 80 }, draw);
      const e = bootstrapMean(values, { resamples: 800, seed: t });
      if (e.lo <= 2 && 2 <= e.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('has no interval for no values and refuses non-finite ones', () => {
    expect(Number.isNaN(bootstrapMean([]).lo)).toBe(true);
    expect(() => bootstrapMean([1, Number.NaN])).toThrow();
  });
});

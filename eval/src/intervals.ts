import { mulberry32 } from '@podpreview/synth';
/**
 * 95 % intervals for the eval's figures: Wilson's score interval for a share of episodes, a
 * percentile bootstrap for a mean. Pure and seeded, so a report prints the same interval for
 * the same episodes.
 */

/** The normal quantile for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface Estimate {
  value: number;
  /** Lower and upper ends of the 95 % interval (NaN for no episodes). */
  lo: number;
  hi: number;
  n: number;
}

/**
 * Wilson score interval for `successes` of `n`: unlike the normal approximation it stays inside
 * [0, 1] and gives 12 of 12 a lower end near 0.76, not 1.
 */
export function wilson(successes: number, n: number, z = Z_95): Estimate {
  if (!(Number.isInteger(successes) && Number.isInteger(n) && successes >= 0 && successes <= n)) {
    throw new Error(`wilson: need integers 0 <= successes <= n, got ${successes} of ${n}`);
  }
  if (n === 0) return { value: NaN, lo: NaN, hi: NaN, n };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Rounding may leave the ends a hair outside [0, 1] or past the estimate at 0 and n.
  return { value: p, lo: Math.max(0, Math.min(p, centre - half)), hi: Math.min(1, Math.max(p, centre + half)), n };
}

/** The q-quantile of sorted values, linearly interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = q * (sorted.length - 1);
  const i = Math.floor(at);
  const j = Math.min(sorted.length - 1, i + 1);
  const a = sorted[i] ?? NaN;
  const b = sorted[j] ?? NaN;
  return a + (b - a) * (at - i);
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/**
 * Percentile bootstrap interval of the mean: the values resampled with replacement
 * `resamples` times, the 2.5th and 97.5th percentiles of the resampled means. Bad overlap is
 * mostly zeros with a few long misses, so a normal interval around its mean would be too narrow
 * on one side and run below zero on the other.
 */
export function bootstrapMean(values: readonly number[], o: BootstrapOptions = {}): Estimate {
  const n = values.length;
  if (n === 0) return { value: NaN, lo: NaN, hi: NaN, n };
  if (values.some((v) => !Number.isFinite(v))) throw new Error('bootstrapMean: every value must be finite');
  const resamples = o.resamples ?? 4000;
  const next = mulberry32(o.seed ?? 0x5eed);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(next() * n)] ?? NaN;
    means.push(sum / n);
  }
  means.sort((a, b) => a - b);
  return { value: mean, lo: Math.min(mean, quantile(means, 0.025)), hi: Math.max(mean, quantile(means, 0.975)), n };
}

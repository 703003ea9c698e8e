/** Rounds to thousandths for stored and printed figures; `+ 0` turns -0 (a zero penalty) into 0. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000 + 0;

/**
 * Median of each value and its two neighbours; at either end, where one neighbour is missing, the
 * mean of the two. One odd value neither breaks a run nor makes one.
 */
export function median3(p: readonly number[]): number[] {
  return p.map((_, i) => {
    const around = p.slice(Math.max(0, i - 1), i + 2);
    return around.length === 3 ? [...around].sort((a, b) => a - b)[1]! : around.reduce((a, b) => a + b, 0) / around.length;
  });
}

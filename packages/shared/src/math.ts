/** Rounds to thousandths for stored and printed figures; `+ 0` turns -0 (a zero penalty) into 0. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000 + 0;

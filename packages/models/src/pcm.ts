/**
 * Mono PCM as the models read it: 16-bit integers as decoded and stored (half the bytes of
 * float32 through ffmpeg's pipe, the hash, storage and memory), or float32 in ±1.
 */
export type Pcm = Int16Array | Float32Array;

const INT16_SCALE = 1 / 32_768;

/** Copies `src[from, to)` into `dst` at `at` as float32 in ±1 (beyond the end of `src`: left as is). */
export function copyPcm(dst: Float32Array, at: number, src: Pcm, from: number, to: number): void {
  const end = Math.min(to, src.length);
  if (src instanceof Float32Array) {
    dst.set(src.subarray(from, end), at);
    return;
  }
  for (let i = from; i < end; i++) dst[at + i - from] = src[i]! * INT16_SCALE;
}

/** Half-band low-pass (7 taps, 3 of them zero): attenuates what would alias below half the new rate. */
const HALF_BAND = [-1 / 32, 0, 9 / 32, 1 / 2, 9 / 32, 0, -1 / 32] as const;

/**
 * Copies `src[from, to)` into `dst` at `at` at half the sample rate, low-passed first: `(to -
 * from) / 2` float32 values (`from` even). Samples past either end of `src` count as the edge one.
 */
export function copyPcmHalfRate(dst: Float32Array, at: number, src: Pcm, from: number, to: number): void {
  const scale = src instanceof Float32Array ? 1 : INT16_SCALE;
  const last = src.length - 1;
  const outputs = Math.floor((to - from) / 2);
  for (let i = 0; i < outputs; i++) {
    const centre = from + 2 * i;
    if (centre > last) break;
    let acc = 0;
    for (let j = 0; j < HALF_BAND.length; j++) {
      const h = HALF_BAND[j]!;
      if (h === 0) continue;
      const k = centre + j - 3;
      acc += h * src[Math.max(0, Math.min(k, last))]!;
    }
    dst[at + i] = acc * scale;
  }
}

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

/**
 * Copies `src[from, to)` into `dst` at `at` at half the sample rate, low-passed first: `(to -
 * from) / 2` float32 values (`from` even). The filter is the 7-tap half-band
 * [-1, 0, 9, 16, 9, 0, -1] / 32, written out (it runs on every sample of the episode); samples
 * past either end of `src` count as the edge one.
 */
export function copyPcmHalfRate(dst: Float32Array, at: number, src: Pcm, from: number, to: number): void {
  const scale = src instanceof Float32Array ? 1 / 32 : INT16_SCALE / 32;
  const last = src.length - 1;
  const outputs = Math.min(Math.floor((to - from) / 2), Math.floor((last - from) / 2) + 1);
  for (let i = 0; i < outputs; i++) {
    const c = from + 2 * i;
    if (c >= 3 && c + 3 <= last) {
      dst[at + i] = (16 * src[c]! + 9 * (src[c - 1]! + src[c + 1]!) - (src[c - 3]! + src[c + 3]!)) * scale;
    } else {
      const x = (k: number) => src[Math.max(0, Math.min(k, last))]!;
      dst[at + i] = (16 * x(c) + 9 * (x(c - 1) + x(c + 1)) - (x(c - 3) + x(c + 3))) * scale;
    }
  }
}

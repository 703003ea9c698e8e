/**
 * Mono PCM as the models read it: 16-bit integers as decoded and stored (half the bytes of
 * float32 through ffmpeg's pipe, the hash, storage and memory), or float32 in ±1.
 */
export type { Pcm } from './kernels.mjs';
// The copies live with the kernels that run them in the model threads.
export { copyPcm, copyPcmHalfRate } from './kernels.mjs';
import type { Pcm } from './kernels.mjs';

/**
 * The PCM in shared memory, copied there once (as is when it is there already): model threads
 * then read it in place, where a plain buffer would be copied into every message to them.
 */
export function toSharedPcm<T extends Pcm>(samples: T): T {
  if (samples.buffer instanceof SharedArrayBuffer) return samples;
  const shared = new (samples.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(samples.byteLength));
  shared.set(samples as never);
  return shared;
}

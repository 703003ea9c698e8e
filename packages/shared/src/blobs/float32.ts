/** A view of the samples' bytes, for storage: no copy. */
export function float32ToBytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Copies into a fresh, aligned buffer (a trailing partial sample is dropped): storage and child
 * processes hand back Buffers at offsets not divisible by 4, which a Float32Array cannot view.
 */
export function bytesToFloat32(b: Uint8Array): Float32Array {
  const out = new Float32Array(Math.floor(b.byteLength / 4));
  new Uint8Array(out.buffer).set(b.subarray(0, out.length * 4));
  return out;
}

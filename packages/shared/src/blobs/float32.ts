/** A view of the samples' bytes, for storage: no copy. */
export function float32ToBytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The bytes as float32 samples (a trailing partial sample is dropped). A view when the bytes
 * sit at a 4-byte boundary, as a large file read whole does: a 30-minute episode's PCM is then
 * held once, not twice. Otherwise (Buffers carved from Node's pool, or child-process output at
 * an odd offset) a copy, since a Float32Array cannot view them.
 */
export function bytesToFloat32(b: Uint8Array): Float32Array {
  const n = Math.floor(b.byteLength / 4);
  if (b.byteOffset % 4 === 0) return new Float32Array(b.buffer, b.byteOffset, n);
  const out = new Float32Array(n);
  new Uint8Array(out.buffer).set(b.subarray(0, n * 4));
  return out;
}

/** A view of the samples' bytes, for storage: no copy. */
export function int16ToBytes(a: Int16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The bytes as 16-bit samples (a trailing odd byte is dropped): a view when they sit at an even
 * offset, as a file read whole does, else a copy (an Int16Array cannot view them).
 */
export function bytesToInt16(b: Uint8Array): Int16Array {
  const n = Math.floor(b.byteLength / 2);
  if (b.byteOffset % 2 === 0) return new Int16Array(b.buffer, b.byteOffset, n);
  const out = new Int16Array(n);
  new Uint8Array(out.buffer).set(b.subarray(0, n * 2));
  return out;
}

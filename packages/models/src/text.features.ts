/**
 * Featurizer `fnv1a-ngram-v1` for the text classifiers. Its twin used in training is
 * `training/text/featurize.py`; both must give the same buckets and float32 values
 * (`training/text/golden.json` holds the check):
 *
 * 1. lowercase (`toLowerCase`, the Unicode default mapping Python's `str.lower` also uses);
 * 2. delete apostrophes `'’‘\`` so "that's" → "thats";
 * 3. tokens = matches of `[a-z]+|[0-9]+`; every digit run becomes the token "0";
 * 4. grams = unigrams, plus bigrams "a b" over `^ t1 … tn $` (start/end markers);
 * 5. FNV-1a 32-bit over the gram's UTF-8 bytes; bucket = hash mod dims (a power of two),
 *    sign −1 when bit 31 is set; counts are summed per bucket with that sign;
 * 6. value = sign · log1p(|count|), then the vector is L2-normalised.
 */

export const TEXT_FEATURIZER_ID = 'fnv1a-ngram-v1';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const APOSTROPHES = /['\u2019\u2018`]/g;
const TOKEN = /[a-z]+|[0-9]+/g;
const utf8 = new TextEncoder();

export function tokenize(text: string): string[] {
  const s = text.toLowerCase().replace(APOSTROPHES, '');
  return Array.from(s.matchAll(TOKEN), (m) => (m[0].charCodeAt(0) <= 57 ? '0' : m[0]));
}

/** Continues an FNV-1a 32-bit hash over the UTF-8 bytes of `s`. */
export function fnv1aUpdate(hash: number, s: string): number {
  let h = hash;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      // Grams are ASCII by construction (step 3); this keeps the helper right for any string.
      for (const b of utf8.encode(s.slice(i))) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
      return h;
    }
    h = Math.imul(h ^ c, FNV_PRIME) >>> 0;
  }
  return h;
}

export const fnv1a32 = (s: string): number => fnv1aUpdate(FNV_OFFSET, s);

export interface SparseFeatures {
  /** Ascending bucket indices. */
  indices: Int32Array;
  values: Float32Array;
}

/** Per-dims scratch counts, reused across calls: featurizing is on the hot path of stage B. */
const scratch = new Map<number, Int32Array>();

function counts(text: string, dims: number): { acc: Int32Array; touched: number[] } {
  if (!Number.isInteger(dims) || dims <= 0 || (dims & (dims - 1)) !== 0) throw new RangeError(`dims must be a power of two, got ${dims}`);
  let acc = scratch.get(dims);
  if (!acc) {
    acc = new Int32Array(dims);
    scratch.set(dims, acc);
  }
  const touched: number[] = [];
  const mask = dims - 1;
  const add = (h: number) => {
    const i = h & mask;
    // A bucket can return to 0 and be pushed again; emit() skips the repeats.
    if (acc[i] === 0) touched.push(i);
    acc[i]! += h & 0x80000000 ? -1 : 1;
  };
  const tokens = tokenize(text);
  if (tokens.length === 0) return { acc, touched };
  // Bigram "a b" hashes as FNV over a, then " ", then b: the streaming form saves building strings.
  let prev = fnv1aUpdate(FNV_OFFSET, '^');
  for (const t of tokens) {
    const h = fnv1a32(t);
    add(h);
    add(fnv1aUpdate(fnv1aUpdate(prev, ' '), t));
    prev = h;
  }
  add(fnv1aUpdate(prev, ' $'));
  return { acc, touched };
}

/** Visits the non-zero buckets in ascending order with their final values, then clears the scratch. */
function emit(acc: Int32Array, touched: number[], visit: (index: number, value: number) => void): void {
  touched.sort((a, b) => a - b);
  let n = 0;
  for (let k = 0; k < touched.length; k++) if (k === 0 || touched[k] !== touched[k - 1]) touched[n++] = touched[k]!;
  touched.length = n;
  const raw = new Float64Array(touched.length);
  let sq = 0;
  for (let k = 0; k < touched.length; k++) {
    const c = acc[touched[k]!]!;
    const v = c === 0 ? 0 : Math.sign(c) * Math.log1p(Math.abs(c));
    raw[k] = v;
    sq += v * v; // left to right, as the Python twin does
  }
  const norm = Math.sqrt(sq);
  for (let k = 0; k < touched.length; k++) {
    const i = touched[k]!;
    acc[i] = 0;
    if (raw[k] !== 0) visit(i, raw[k]! / norm);
  }
}

export function featurizeSparse(text: string, dims: number): SparseFeatures {
  const { acc, touched } = counts(text, dims);
  const indices: number[] = [];
  const values: number[] = [];
  emit(acc, touched, (i, v) => {
    indices.push(i);
    values.push(v);
  });
  return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

/** Writes the features of `text` into `out[offset .. offset + dims)`, which must be zero. */
export function featurizeInto(text: string, dims: number, out: Float32Array, offset: number): void {
  const { acc, touched } = counts(text, dims);
  emit(acc, touched, (i, v) => (out[offset + i] = v));
}

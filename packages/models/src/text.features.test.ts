import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featurizeInto, featurizeSparse, fnv1a32, TEXT_FEATURIZER_ID, tokenize } from './text.features.ts';

interface GoldenSentence {
  text: string;
  tokens: string[];
  indices: number[];
  values: number[];
}
/** Written by training/text/train.py with the Python twin of the featurizer. */
const golden = JSON.parse(readFileSync(new URL('../training/text/golden.json', import.meta.url), 'utf8')) as {
  featurizer: string;
  dims: number;
  sentences: GoldenSentence[];
};

describe('fnv1a-ngram-v1 featurizer', () => {
  it('hashes with 32-bit FNV-1a over UTF-8 (reference vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('café')).toBe(0xa82b5049); // from featurize.py: bytes 63 61 66 c3 a9
  });

  it('tokenizes as documented: lowercase, apostrophes dropped, digit runs → "0"', () => {
    expect(tokenize("That's 20% OFF at Example.com/POD — don’t wait!")).toEqual(['thats', '0', 'off', 'at', 'example', 'com', 'pod', 'dont', 'wait']);
    expect(tokenize('mp3 B2B 1,000')).toEqual(['mp', '0', 'b', '0', 'b', '0', '0']);
    expect(tokenize('  ')).toEqual([]);
  });

  it('matches the Python featurizer on every golden sentence (buckets exact, values as float32)', () => {
    expect(golden.featurizer).toBe(TEXT_FEATURIZER_ID);
    expect(golden.sentences.length).toBeGreaterThanOrEqual(8);
    for (const g of golden.sentences) {
      expect(tokenize(g.text), g.text).toEqual(g.tokens);
      const f = featurizeSparse(g.text, golden.dims);
      expect(Array.from(f.indices), g.text).toEqual(g.indices);
      // Both sides round the same float64 value to float32: equal, up to a last-ulp log1p difference.
      for (const [k, v] of g.values.entries()) expect(Math.abs(f.values[k]! - v), `${g.text} [${g.indices[k]}]`).toBeLessThan(1e-7);
    }
  });

  it('writes the same vector densely, and leaves no state behind between calls', () => {
    const dims = golden.dims;
    const out = new Float32Array(3 * dims);
    const texts = ['ceq ega ceq', 'Welcome back to Deep Current', 'ceq ega'];
    for (const [i, t] of texts.entries()) featurizeInto(t, dims, out, i * dims);
    texts.forEach((t, i) => {
      const row = out.subarray(i * dims, (i + 1) * dims);
      const sparse = featurizeSparse(t, dims);
      const nonZero = [...row.keys()].filter((k) => row[k] !== 0);
      expect(nonZero).toEqual(Array.from(sparse.indices));
      expect(Array.from(sparse.indices, (k) => row[k])).toEqual(Array.from(sparse.values));
    });
    let sq = 0;
    for (const v of featurizeSparse('Any sentence at all, of any length.', dims).values) sq += v * v;
    expect(sq).toBeCloseTo(1, 6);
  });

  it('refuses a bucket count that is not a power of two', () => {
    expect(() => featurizeSparse('x', 1000)).toThrow(RangeError);
  });
});

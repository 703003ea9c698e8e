import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '@podpreview/model-manifest';
import { loadVocabulary, type Vocabulary, wordIds, wordIdsInto } from './text.words.ts';

/** A word list laid out as training/text/train.py --words writes weights/word-vocab.txt. */
const WORDS = 'the\nof\nuse\ncode\nthats\n0\n';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let dir: string;
let vocab: Vocabulary;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-words-'));
  await writeFile(path.join(dir, 'vocab.txt'), WORDS);
  vocab = await loadVocabulary('vocab.txt', sha256(WORDS), path.join(dir, 'manifest.json'));
});

describe('word ids of the text classifiers', () => {
  it('numbers the list from 1 (0 is padding) and tokenizes as the n-gram featurizer does', () => {
    expect(vocab.get('the')).toBe(1);
    expect(vocab.size).toBe(6);
    // "That's" loses its apostrophe and "20" becomes the digit token, as in text.features.ts.
    expect(wordIds("That's the CODE: use 20 of them", vocab, 16)).toEqual([5, 1, 4, 3, 6, 2]);
  });

  it('skips unknown words, keeps repeats and stops at maxWords, zero-padding the rest', () => {
    expect(wordIds('The zqxjv of THE', vocab, 8)).toEqual([1, 2, 1]);
    expect(wordIds('the of the of', vocab, 3)).toEqual([1, 2, 1]);
    expect(wordIds('', vocab, 3)).toEqual([]);
    const out = new BigInt64Array(8);
    wordIdsInto('of the', vocab, 4, out, 4);
    expect(Array.from(out)).toEqual([0n, 0n, 0n, 0n, 2n, 1n, 0n, 0n]);
  });

  it('refuses a word list whose sha256 differs from the manifest, and shares one that matches', async () => {
    await expect(loadVocabulary('vocab.txt', '0'.repeat(64), path.join(dir, 'manifest.json'))).rejects.toThrow(ModelIntegrityError);
    await expect(loadVocabulary('vocab.txt', sha256(WORDS), path.join(dir, 'manifest.json'))).resolves.toBe(vocab);
  });
});

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MANIFEST_PATH, ModelIntegrityError } from '@podpreview/model-manifest';
import { tokenize } from './text.features.ts';

/**
 * The `words` input of the text classifiers: ids of a sentence's words in the committed word
 * list (`weights/word-vocab.txt`, the most frequent words of the pretrained vectors the models
 * hold). Its twin used in training is `training/text/words.py`:
 *
 * 1. tokens as the n-gram featurizer makes them (`tokenize`);
 * 2. id = 1 + the token's line in the word list; tokens not in it are skipped;
 * 3. the first `maxWords` ids, zero-padded.
 */
export type Vocabulary = ReadonlyMap<string, number>;

/** Word lists by file and sha256: every text classifier session shares one. */
const loaded = new Map<string, Promise<Vocabulary>>();

/** Reads the word list (relative to the manifest's folder) and refuses it unless its sha256 matches. */
export function loadVocabulary(file: string, sha256: string, manifestPath = DEFAULT_MANIFEST_PATH): Promise<Vocabulary> {
  const full = path.resolve(path.dirname(manifestPath), file);
  const key = `${full}#${sha256}`;
  let vocab = loaded.get(key);
  if (!vocab) {
    vocab = readVocabulary(full, sha256);
    loaded.set(key, vocab);
    // A failed read is not cached: the next call tries again.
    vocab.catch(() => loaded.delete(key));
  }
  return vocab;
}

async function readVocabulary(file: string, sha256: string): Promise<Vocabulary> {
  const bytes = await readFile(file);
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== sha256) throw new ModelIntegrityError(`word list ${file}: expected sha256 ${sha256}, got ${got}`);
  const words = bytes.toString('utf8').split('\n').filter(Boolean);
  return new Map(words.map((w, i) => [w, i + 1]));
}

export function wordIds(text: string, vocab: Vocabulary, maxWords: number): number[] {
  const ids: number[] = [];
  for (const t of tokenize(text)) {
    const id = vocab.get(t);
    if (id !== undefined) ids.push(id);
    if (ids.length === maxWords) break;
  }
  return ids;
}

/** Writes the ids of `text` into `out[offset .. offset + maxWords)`, which must be zero. */
export function wordIdsInto(text: string, vocab: Vocabulary, maxWords: number, out: BigInt64Array, offset: number): void {
  const ids = wordIds(text, vocab, maxWords);
  for (let i = 0; i < ids.length; i++) out[offset + i] = BigInt(ids[i]!);
}

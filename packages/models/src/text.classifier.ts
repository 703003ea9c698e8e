import { z } from 'zod';
import type { ModelEntry } from '@podpreview/model-manifest';
import { ort, type ModelSession } from './session.ts';
import { featurizeInto, TEXT_FEATURIZER_ID } from './text.features.ts';
import { loadVocabulary, type Vocabulary, wordIdsInto } from './text.words.ts';

/** What a `text-classifier` entry carries in `params`. */
const TextClassifierParams = z.object({
  /** Hashing buckets: the width of the `features` input. */
  dims: z.number().int().positive(),
  /** One sigmoid output per label, in output column order. */
  labels: z.array(z.string()).min(1),
  featurizer: z.literal(TEXT_FEATURIZER_ID),
  /** The `words` input (text.words.ts): pretrained word vectors the graph holds, looked up by id. */
  words: z
    .object({
      /** The word list, relative to the manifest's folder; line n is id n + 1. */
      vocab: z.string(),
      vocabSha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** Width of the `words` input: ids past it are dropped. */
      maxWords: z.number().int().positive(),
      /** Length of each vector in the graph's table. */
      dims: z.number().int().positive(),
    })
    .optional(),
});
export type TextClassifierParams = z.infer<typeof TextClassifierParams>;

export function textClassifierParams(entry: ModelEntry): TextClassifierParams {
  const parsed = TextClassifierParams.safeParse(entry.params);
  if (!parsed.success)
    throw new Error(`model ${entry.id}@${entry.version}: params are not those of a ${TEXT_FEATURIZER_ID} text classifier: ${parsed.error.message}`);
  return parsed.data;
}

export interface ScoreTextsOptions {
  /** Most sentences per `session.run`; each run feeds a dense float32 [n, dims] matrix. */
  maxBatch: number;
}

/**
 * Scores sentences with a hashed n-gram (and, where the entry has `words`, word-vector)
 * classifier: returns texts × labels probabilities,
 * row-major (row i = texts[i], column k = params.labels[k]). Rows are independent, so the
 * session may merge this call's runs with other jobs' runs (the registry's micro-batcher).
 */
export async function scoreTexts(session: ModelSession, entry: ModelEntry, texts: readonly string[], opts: ScoreTextsOptions): Promise<Float32Array> {
  const { dims, labels, words } = textClassifierParams(entry);
  const vocab: Vocabulary | undefined = words && (await loadVocabulary(words.vocab, words.vocabSha256));
  const k = labels.length;
  const maxBatch = Math.max(1, Math.floor(opts.maxBatch));
  const probs = new Float32Array(texts.length * k);
  for (let start = 0; start < texts.length; start += maxBatch) {
    const n = Math.min(maxBatch, texts.length - start);
    // A fresh buffer per run: the tensor may still be queued in a micro-batch when we build the next.
    const features = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) featurizeInto(texts[start + i]!, dims, features, i * dims);
    const feeds: Record<string, ort.Tensor> = { features: new ort.Tensor('float32', features, [n, dims]) };
    if (words && vocab) {
      const ids = new BigInt64Array(n * words.maxWords);
      for (let i = 0; i < n; i++) wordIdsInto(texts[start + i]!, vocab, words.maxWords, ids, i * words.maxWords);
      feeds.words = new ort.Tensor('int64', ids, [n, words.maxWords]);
    }
    const out = await session.run(feeds);
    const p = out.probs;
    if (p?.dims.length !== 2 || p.dims[0] !== n || p.dims[1] !== k) {
      throw new Error(`model ${entry.id}@${entry.version}: expected probs [${n}, ${k}], got ${p ? `[${p.dims.join(', ')}]` : 'no probs output'}`);
    }
    probs.set(p.data as Float32Array, start * k);
  }
  return probs;
}

import { z } from 'zod';
import type { ModelEntry } from './manifest.ts';
import { ort, type ModelSession } from './session.ts';
import { featurizeInto, TEXT_FEATURIZER_ID } from './text.features.ts';

/** What a `text-classifier` entry carries in `params`. */
const TextClassifierParams = z.object({
  /** Hashing buckets: the width of the `features` input. */
  dims: z.number().int().positive(),
  /** One sigmoid output per label, in output column order. */
  labels: z.array(z.string()).min(1),
  featurizer: z.literal(TEXT_FEATURIZER_ID),
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
 * Scores sentences with a hashed n-gram classifier: returns texts × labels probabilities,
 * row-major (row i = texts[i], column k = params.labels[k]). Rows are independent, so the
 * session may merge this call's runs with other jobs' runs (the registry's micro-batcher).
 */
export async function scoreTexts(session: ModelSession, entry: ModelEntry, texts: readonly string[], opts: ScoreTextsOptions): Promise<Float32Array> {
  const { dims, labels } = textClassifierParams(entry);
  const k = labels.length;
  const maxBatch = Math.max(1, Math.floor(opts.maxBatch));
  const probs = new Float32Array(texts.length * k);
  for (let start = 0; start < texts.length; start += maxBatch) {
    const n = Math.min(maxBatch, texts.length - start);
    // A fresh buffer per run: the tensor may still be queued in a micro-batch when we build the next.
    const features = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) featurizeInto(texts[start + i]!, dims, features, i * dims);
    const out = await session.run({ features: new ort.Tensor('float32', features, [n, dims]) });
    const p = out.probs;
    if (p?.dims.length !== 2 || p.dims[0] !== n || p.dims[1] !== k) {
      throw new Error(`model ${entry.id}@${entry.version}: expected probs [${n}, ${k}], got ${p ? `[${p.dims.join(', ')}]` : 'no probs output'}`);
    }
    probs.set(p.data as Float32Array, start * k);
  }
  return probs;
}

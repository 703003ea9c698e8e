import { z } from 'zod';
import type { ModelEntry } from '@podpreview/model-manifest';
import { ort, type ModelSession } from './session.ts';
import { tokenize } from './text.features.ts';

/**
 * Rows `sentence-context-v1`: the TypeScript twin of training/text/context_features.py (the
 * column layout is documented there; context-golden.json checks both agree).
 */
export const CONTEXT_FEATURES_ID = 'sentence-context-v1';
export const CONTEXT_DIMS = 33;
const OFFSETS = [-3, -2, -1, 1, 2, 3] as const;

const SentenceContextParams = z.object({
  features: z.literal(CONTEXT_FEATURES_ID),
  dims: z.literal(CONTEXT_DIMS),
  /** Output columns; the sentence classifiers' outputs of the same names are the input. */
  labels: z.tuple([z.literal('ad'), z.literal('intro'), z.literal('outro')]),
});

export function sentenceContextParams(entry: ModelEntry): z.infer<typeof SentenceContextParams> {
  const parsed = SentenceContextParams.safeParse(entry.params);
  if (!parsed.success) throw new Error(`model ${entry.id}@${entry.version}: params are not those of a ${CONTEXT_FEATURES_ID} model: ${parsed.error.message}`);
  return parsed.data;
}

export interface ContextSentence {
  startSec: number;
  endSec: number;
  text: string;
  /** The sentence classifiers' [ad, intro, outro]. */
  probs: readonly [number, number, number];
}

const clip01 = (x: number) => Math.min(1, Math.max(0, x));

/** One row per sentence, float32 [n × CONTEXT_DIMS], row-major. */
export function contextRows(sentences: readonly ContextSentence[], durationSec: number): Float32Array {
  const n = sentences.length;
  const out = new Float32Array(n * CONTEXT_DIMS);
  const d = Math.max(durationSec, sentences.at(-1)?.endSec ?? 0, 1e-6);
  const p = (j: number, k: number) => (j >= 0 && j < n ? sentences[j]!.probs[k]! : 0);
  const row = new Float64Array(CONTEXT_DIMS);
  for (let i = 0; i < n; i++) {
    const s = sentences[i]!;
    for (let k = 0; k < 3; k++) {
      row[k] = p(i, k);
      OFFSETS.forEach((off, m) => {
        row[3 + 3 * m + k] = p(i + off, k);
      });
      row[21 + k] = Math.max(p(i - 2, k), p(i - 1, k), p(i + 1, k), p(i + 2, k));
      let sum = 0;
      let count = 0;
      for (let j = Math.max(0, i - 3); j <= Math.min(n - 1, i + 3); j++) {
        sum += p(j, k);
        count++;
      }
      row[24 + k] = sum / count;
    }
    row[27] = s.startSec / d;
    row[28] = clip01(s.startSec / 300);
    row[29] = clip01((d - s.endSec) / 300);
    row[30] = clip01(i / 3);
    row[31] = clip01((n - 1 - i) / 3);
    row[32] = clip01(tokenize(s.text).length / 40);
    out.set(row, i * CONTEXT_DIMS);
  }
  return out;
}

/**
 * Ad / intro / outro of every sentence read in its context (neighbours and position), from the
 * sentence classifiers' outputs: returns sentences × 3 probabilities, row-major.
 */
export async function scoreContext(
  session: ModelSession,
  entry: ModelEntry,
  sentences: readonly ContextSentence[],
  durationSec: number,
): Promise<Float32Array> {
  sentenceContextParams(entry);
  const n = sentences.length;
  if (n === 0) return new Float32Array(0);
  const rows = contextRows(sentences, durationSec);
  const maxBatch = Math.max(1, Math.floor(entry.batching.maxBatch));
  const probs = new Float32Array(n * 3);
  for (let start = 0; start < n; start += maxBatch) {
    const m = Math.min(maxBatch, n - start);
    const features = rows.slice(start * CONTEXT_DIMS, (start + m) * CONTEXT_DIMS);
    const out = await session.run({ features: new ort.Tensor('float32', features, [m, CONTEXT_DIMS]) });
    const got = out.probs;
    if (got?.dims.length !== 2 || got.dims[0] !== m || got.dims[1] !== 3)
      throw new Error(`model ${entry.id}@${entry.version}: expected probs [${m}, 3], got ${got ? `[${got.dims.join(', ')}]` : 'no probs output'}`);
    probs.set(got.data as Float32Array, start * 3);
  }
  return probs;
}

import { readFileSync } from 'node:fs';
import type { ModelEntry } from '../manifest.ts';
import type { ModelSession } from '../session.ts';
import { scoreTexts } from '../text.classifier.ts';

/**
 * The hand-written held-out sentences (training/text/independent/sentences.tsv: other wording,
 * ASR-like lower case, caption fragments), never trained on: F1 of the shipped text models.
 */
export const INDEPENDENT_TEXT = new URL('../../training/text/independent/sentences.tsv', import.meta.url);

export interface IndependentRow {
  label: 'ad' | 'intro' | 'outro' | 'content';
  style: string;
  text: string;
}

export function readIndependentText(): IndependentRow[] {
  return readFileSync(INDEPENDENT_TEXT, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [label, style, text] = l.split('\t') as [IndependentRow['label'], string, string];
      return { label, style, text };
    });
}

export function f1(truth: boolean[], predicted: boolean[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  truth.forEach((t, i) => {
    if (t && predicted[i]) tp++;
    else if (!t && predicted[i]) fp++;
    else if (t && !predicted[i]) fn++;
  });
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

type Model = { entry: ModelEntry; session: ModelSession };

/** F1 per label at p ≥ 0.5 of the ad detector and the intro/outro model on the independent source. */
export async function independentTextF1(ad: Model, io: Model, rows = readIndependentText()): Promise<Record<'ad' | 'intro' | 'outro', number>> {
  const texts = rows.map((r) => r.text);
  const adP = await scoreTexts(ad.session, ad.entry, texts, { maxBatch: ad.entry.batching.maxBatch });
  const ioP = await scoreTexts(io.session, io.entry, texts, { maxBatch: io.entry.batching.maxBatch });
  return {
    ad: f1(
      rows.map((r) => r.label === 'ad'),
      [...adP].map((p) => p >= 0.5),
    ),
    intro: f1(
      rows.map((r) => r.label === 'intro'),
      rows.map((_, i) => ioP[2 * i]! >= 0.5),
    ),
    outro: f1(
      rows.map((r) => r.label === 'outro'),
      rows.map((_, i) => ioP[2 * i + 1]! >= 0.5),
    ),
  };
}

import { readFileSync } from 'node:fs';
import { median3 } from '@podpreview/shared';
import type { ModelEntry } from '@podpreview/model-manifest';
import type { ModelSession } from '../session.ts';
import { scoreTexts } from '../text.classifier.ts';
import { type ContextSentence, scoreContext } from '../text.context.ts';

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

type Label = 'ad' | 'intro' | 'outro';
const LABELS: readonly Label[] = ['ad', 'intro', 'outro'];

/**
 * Five episodes of the independent source's sentences, each: intro, content, an ad read, content,
 * another ad read, content, outro. Every ad, intro and outro line is used once, in file order.
 */
export function independentEpisodes(rows = readIndependentText()): IndependentRow[][] {
  const of = (label: IndependentRow['label']) => rows.filter((r) => r.label === label);
  const [intros, contents, ads, outros] = [of('intro'), of('content'), of('ad'), of('outro')];
  const part = <T>(xs: T[], e: number) => xs.slice(Math.floor((e * xs.length) / 5), Math.floor(((e + 1) * xs.length) / 5));
  return Array.from({ length: 5 }, (_, e) => {
    const body = part(contents, e);
    const adLines = part(ads, e);
    const half = Math.ceil(adLines.length / 2);
    const third = Math.ceil(body.length / 3);
    return [
      ...part(intros, e),
      ...body.slice(0, third),
      ...adLines.slice(0, half),
      ...body.slice(third, 2 * third),
      ...adLines.slice(half),
      ...body.slice(2 * third),
      ...part(outros, e),
    ];
  });
}

export type EpisodeF1 = Record<Label, { sentence: number; median: number; context: number }>;

/**
 * F1 per label at 0.5 over the independent episodes: of the classifiers' sentence scores, of
 * their median over neighbours, and of the context model (sentences timed at 2.6 words/s).
 */
export async function independentEpisodeF1(ad: Model, io: Model, context: Model, rows = readIndependentText()): Promise<EpisodeF1> {
  const truth: Record<Label, boolean[]> = { ad: [], intro: [], outro: [] };
  const got = Object.fromEntries(LABELS.map((l) => [l, { sentence: [] as boolean[], median: [] as boolean[], context: [] as boolean[] }])) as Record<
    Label,
    Record<'sentence' | 'median' | 'context', boolean[]>
  >;
  for (const episode of independentEpisodes(rows)) {
    const texts = episode.map((r) => r.text);
    const pa = await scoreTexts(ad.session, ad.entry, texts, { maxBatch: ad.entry.batching.maxBatch });
    const pio = await scoreTexts(io.session, io.entry, texts, { maxBatch: io.entry.batching.maxBatch });
    let t = 12;
    const sentences: ContextSentence[] = episode.map((r, i) => {
      const startSec = t;
      t += r.text.split(/\s+/).length / 2.6 + 0.5;
      return { startSec, endSec: t - 0.4, text: r.text, probs: [pa[i]!, pio[2 * i]!, pio[2 * i + 1]!] };
    });
    const pc = await scoreContext(context.session, context.entry, sentences, t + 5);
    for (const [k, label] of LABELS.entries()) {
      const p = sentences.map((s) => s.probs[k]!);
      truth[label].push(...episode.map((r) => r.label === label));
      got[label].sentence.push(...p.map((v) => v >= 0.5));
      got[label].median.push(...median3(p).map((v) => v >= 0.5));
      got[label].context.push(...sentences.map((_, i) => pc[3 * i + k]! >= 0.5));
    }
  }
  return Object.fromEntries(
    LABELS.map((l) => [l, { sentence: f1(truth[l], got[l].sentence), median: f1(truth[l], got[l].median), context: f1(truth[l], got[l].context) }]),
  ) as EpisodeF1;
}

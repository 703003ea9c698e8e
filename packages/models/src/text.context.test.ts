import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { independentEpisodeF1 } from './evaluation/independent-text.ts';
import { loadVerifiedWeights, modelsForStage, readManifest, type ModelEntry } from '@podpreview/model-manifest';
import { createModelSession, type ModelSession } from './session.ts';
import { CONTEXT_DIMS, type ContextSentence, contextRows, scoreContext, sentenceContextParams } from './text.context.ts';

const golden = JSON.parse(readFileSync(new URL('../training/text/context-golden.json', import.meta.url), 'utf8')) as {
  durationSec: number;
  sentences: { text: string; startSec: number; endSec: number; probs: [number, number, number] }[];
  rows: number[][];
  outputs: number[][];
};

type Loaded = { entry: ModelEntry; session: ModelSession };
let context: Loaded;
let ad: Loaded;
let io: Loaded;

beforeAll(async () => {
  const b = modelsForStage(await readManifest(), 'ensemble-b');
  const open = async (id: string) => {
    const entry = b.find((m) => m.id === id)!;
    return { entry, session: await createModelSession(entry, 'cpu') };
  };
  [context, ad, io] = await Promise.all([open('sentence-context'), open('ad-detector'), open('intro-outro')]);
});
afterAll(async () => {
  await Promise.all([context, ad, io].map((m) => m?.session.dispose()));
});

const sentence = (i: number, probs: [number, number, number], text = 'and it keeps going from there'): ContextSentence => ({
  startSec: 30 + i * 6,
  endSec: 35 + i * 6,
  text,
  probs,
});
const CONTENT: [number, number, number] = [0.03, 0.02, 0.02];

describe('sentence-context', () => {
  it('is our own trained model in stage B, its weights match the manifest', async () => {
    expect(context.entry).toMatchObject({ stage: 'ensemble-b', kind: 'sentence-context', licence: 'Apache-2.0' });
    expect(sentenceContextParams(context.entry)).toEqual({ features: 'sentence-context-v1', dims: CONTEXT_DIMS, labels: ['ad', 'intro', 'outro'] });
    await expect(loadVerifiedWeights(context.entry)).resolves.toHaveLength(context.entry.bytes);
  });

  it('builds the same rows as the Python trainer and gives its outputs through onnxruntime', async () => {
    const sentences = golden.sentences.map((s) => ({ ...s, probs: s.probs as [number, number, number] }));
    const rows = contextRows(sentences, golden.durationSec);
    expect(rows.length).toBe(golden.rows.length * CONTEXT_DIMS);
    golden.rows.forEach((row, i) => {
      for (const [k, v] of row.entries()) expect(rows[i * CONTEXT_DIMS + k], `row ${i} column ${k}`).toBeCloseTo(v, 5);
    });
    const probs = await scoreContext(context.session, context.entry, sentences, golden.durationSec);
    golden.outputs.forEach((out, i) => {
      for (const [k, v] of out.entries()) expect(probs[i * 3 + k], `sentence ${i} label ${k}`).toBeCloseTo(v, 4);
    });
  });

  /** One sentence per row of [ad, intro, outro] scores, in a 30-minute episode. */
  const scoreRows = (rows: [number, number, number][]) =>
    scoreContext(
      context.session,
      context.entry,
      rows.map((x, i) => sentence(i, x)),
      1800,
    );

  it('flags the plain middle of an ad read between its cues, and leaves one odd sentence in content alone', async () => {
    const middle: [number, number, number] = [0.12, 0.03, 0.02];
    const ads = [
      ...Array.from({ length: 8 }, () => CONTENT),
      [0.93, 0.02, 0.01] as [number, number, number],
      middle,
      middle,
      [0.96, 0.02, 0.01] as [number, number, number],
      ...Array.from({ length: 8 }, () => CONTENT),
    ];
    const p = await scoreRows(ads);
    expect(p[9 * 3]).toBeGreaterThan(0.5);
    expect(p[10 * 3]).toBeGreaterThan(0.5);
    expect(p[3 * 3]).toBeLessThan(0.2);

    const lone = Array.from({ length: 17 }, (_, i) => (i === 8 ? ([0.62, 0.03, 0.02] as [number, number, number]) : CONTENT));
    const q = await scoreRows(lone);
    expect(q[8 * 3]).toBeLessThan(0.5);
  });

  it('finds more of held-out episodes’ ads, intros and outros than the one-sentence scores and their median', async () => {
    // Five episodes of hand-written sentences the classifiers never saw (the independent source).
    const figures = await independentEpisodeF1(ad, io, context);
    for (const [label, { sentence, median, context: withContext }] of Object.entries(figures)) {
      const why = `${label}: context ${withContext.toFixed(2)}, sentence ${sentence.toFixed(2)}, median ${median.toFixed(2)}`;
      expect(withContext, why).toBeGreaterThanOrEqual(Math.max(sentence, median));
      expect(withContext, why).toBeGreaterThan(0.8);
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVerifiedWeights, type ModelEntry, ModelIntegrityError, modelsForStage, readManifest, resolveModelPath } from '@podpreview/model-manifest';
import { createModelSession, type ModelSession } from './session.ts';
import { independentTextF1, readIndependentText } from './evaluation/independent-text.ts';
import { scoreTexts, textClassifierParams } from './text.classifier.ts';

const TRAINING = new URL('../training/text/', import.meta.url);
const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));

const golden = JSON.parse(readFileSync(new URL('golden.json', TRAINING), 'utf8')) as {
  sentences: { text: string }[];
  models: Record<string, { labels: string[]; probs: number[][] }>;
};
type SentenceSet = Record<'ads' | 'intros' | 'outros' | 'hardNegatives', string[]>;
const handwritten = JSON.parse(readFileSync(new URL('handwritten.json', TRAINING), 'utf8')) as { untouched: SentenceSet; diagnostic: SentenceSet };

/** Cue texts of the sample transcripts: a cue is an optional id line, a timing line, then text. */
function sampleSentences(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const file of readdirSync(SAMPLES).filter((f) => /\.(vtt|srt)$/.test(f))) {
    for (const block of readFileSync(path.join(SAMPLES, file), 'utf8').split(/\r?\n\s*\r?\n/)) {
      const lines = block.split(/\r?\n/);
      const timing = lines.findIndex((l) => /-->/.test(l));
      if (timing >= 0)
        out.push({
          file,
          text: lines
            .slice(timing + 1)
            .join(' ')
            .trim(),
        });
    }
  }
  return out;
}
/** Sample sentences that really are show framing: they may score high on intro/outro (never on ad). */
const GENUINE_FRAMING = [
  'This is Field Notes, and today', // intro
  'Thank you so much for joining us on Field Notes', // thanks the guest at the end
  'Good morning, and welcome to The Morning Signal', // intro
  "I'm joined today by our science correspondent", // introduces the guest
  "That's all for today's brief", // outro
  'Here is a short note for listeners', // opening of a short episode
  'Thanks for all of your questions', // outro
];

let ad: { entry: ModelEntry; session: ModelSession };
let io: { entry: ModelEntry; session: ModelSession };

beforeAll(async () => {
  const b = modelsForStage(await readManifest(), 'ensemble-b');
  const open = async (id: string) => {
    const entry = b.find((m) => m.id === id)!;
    return { entry, session: await createModelSession(entry, 'cpu') };
  };
  [ad, io] = await Promise.all([open('ad-detector'), open('intro-outro')]);
});
afterAll(async () => {
  await Promise.all([ad?.session.dispose(), io?.session.dispose()]);
});

const score = (m: typeof ad, texts: readonly string[]) => scoreTexts(m.session, m.entry, texts, { maxBatch: m.entry.batching.maxBatch });

describe('text classifier manifest entries', () => {
  it('describe our own trained models, and their weights match sha256 and size', async () => {
    for (const m of [ad, io]) {
      expect(m.entry).toMatchObject({ stage: 'ensemble-b', kind: 'text-classifier', licence: 'Apache-2.0', batching: { maxBatch: 256, maxWaitMs: 5 } });
      expect(m.entry.file).toBe(`weights/${m.entry.id}.onnx`);
      expect(m.entry.training?.script).toBe('packages/models/training/text/train.sh');
      expect(m.entry.training?.heldOut).toBeDefined();
      await expect(loadVerifiedWeights(m.entry)).resolves.toHaveLength(m.entry.bytes);
    }
    expect(textClassifierParams(ad.entry)).toEqual({ dims: 16384, labels: ['ad'], featurizer: 'fnv1a-ngram-v1' });
    expect(textClassifierParams(io.entry).labels).toEqual(['intro', 'outro']);
  });

  it('refuses weights that were changed by one byte', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-text-'));
    const copy = path.join(dir, 'weights', 'ad-detector.onnx');
    await mkdir(path.dirname(copy));
    await copyFile(resolveModelPath(ad.entry), copy);
    const bytes = await readFile(copy);
    bytes[bytes.length - 1]! ^= 1;
    await writeFile(copy, bytes);
    await expect(loadVerifiedWeights(ad.entry, path.join(dir, 'manifest.json'))).rejects.toThrow(ModelIntegrityError);
  });
});

describe('scoreTexts', () => {
  it('gives the probabilities the Python trainer computed (within 1e-4)', async () => {
    const texts = golden.sentences.map((s) => s.text);
    for (const m of [ad, io]) {
      const expected = golden.models[m.entry.id]!;
      const k = expected.labels.length;
      const probs = await score(m, texts);
      expect(probs).toHaveLength(texts.length * k);
      for (const [i, row] of expected.probs.entries()) {
        for (const [j, p] of row.entries()) expect(Math.abs(probs[i * k + j]! - p), `${m.entry.id} "${texts[i]}" ${expected.labels[j]}`).toBeLessThan(1e-4);
      }
    }
  });

  it('runs at most maxBatch sentences per session.run, each row independent of its batch', async () => {
    const batches: number[] = [];
    const counting: ModelSession = {
      ...io.session,
      run: (feeds) => {
        batches.push(feeds.features!.dims[0]!);
        return io.session.run(feeds);
      },
    };
    const texts = sampleSentences()
      .map((s) => s.text)
      .slice(0, 10);
    const small = await scoreTexts(counting, io.entry, texts, { maxBatch: 3 });
    expect(batches).toEqual([3, 3, 3, 1]);
    const whole = await score(io, texts);
    for (const [i, p] of small.entries()) expect(Math.abs(p - whole[i]!)).toBeLessThan(1e-6);
    batches.length = 0;
    expect(await scoreTexts(counting, io.entry, [], { maxBatch: 3 })).toHaveLength(0);
    expect(batches).toEqual([]);
  });

  it('refuses an entry whose params are not a fnv1a-ngram-v1 classifier', async () => {
    const wrong = { ...ad.entry, params: { ...ad.entry.params, featurizer: 'bpe-v9' } };
    await expect(scoreTexts(ad.session, wrong, ['x'], { maxBatch: 8 })).rejects.toThrow(/params/);
  });
});

describe('text classifier behaviour', () => {
  it('scores every sample-transcript sentence as content (framing allowed only for genuine greetings)', async () => {
    const sentences = sampleSentences();
    expect(sentences.length).toBeGreaterThanOrEqual(30);
    const texts = sentences.map((s) => s.text);
    const [pAd, pIo] = await Promise.all([score(ad, texts), score(io, texts)]);
    texts.forEach((t, i) => {
      expect(pAd[i]!, `ad: ${t}`).toBeLessThan(0.5);
      if (GENUINE_FRAMING.some((g) => t.startsWith(g))) return;
      expect(pIo[2 * i]!, `intro: ${t}`).toBeLessThan(0.5);
      expect(pIo[2 * i + 1]!, `outro: ${t}`).toBeLessThan(0.5);
    });
  });

  for (const [setName, set] of Object.entries(handwritten)) {
    if (typeof set === 'string') continue;
    it(`flags hand-written ad reads, intros and outros (${setName} set, ≥ 8/10 each)`, async () => {
      const hits = async (m: typeof ad, texts: string[], col: number) => {
        const p = await score(m, texts);
        const k = textClassifierParams(m.entry).labels.length;
        return texts.filter((_, i) => p[i * k + col]! > 0.5).length;
      };
      expect(await hits(ad, set.ads, 0)).toBeGreaterThanOrEqual(8);
      expect(await hits(io, set.intros, 0)).toBeGreaterThanOrEqual(8);
      expect(await hits(io, set.outros, 1)).toBeGreaterThanOrEqual(8);
      // Hard negatives: content that mentions prices, websites, welcomes, thanks, episodes.
      expect(await hits(ad, set.hardNegatives, 0)).toBeLessThanOrEqual(2);
      expect(await hits(io, set.hardNegatives, 0)).toBeLessThanOrEqual(2);
      expect(await hits(io, set.hardNegatives, 1)).toBeLessThanOrEqual(2);
    });
  }

  it('scores 2,000 sentences with both models, one row per sentence whatever the batch', async () => {
    const base = [...sampleSentences().map((s) => s.text), ...Object.values(handwritten.untouched).flat()];
    const texts = Array.from({ length: 2000 }, (_, i) => `${base[i % base.length]} (${i})`);
    // Speed is measured by `npm run bench:models`, not here.
    const ads = await score(ad, texts);
    expect(ads).toHaveLength(2000);
    expect(await score(io, texts)).toHaveLength(4000);
    const alone = await score(ad, texts.slice(1000, 1001));
    expect(alone[0]).toBeCloseTo(ads[1000]!, 5);
  });
});

describe('on an independent held-out source (training/text/independent: hand-written, never trained on)', () => {
  it('keeps F1 ≥ 0.75 per label (ad, intro, outro), written, ASR-like and caption fragments together', async () => {
    const rows = readIndependentText();
    expect(new Set(rows.map((r) => r.style))).toEqual(new Set(['written', 'asr', 'fragment']));
    const figures = await independentTextF1(ad, io, rows);
    console.log(
      `independent source (${rows.length} sentences), F1 of the shipped models: ${Object.entries(figures)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(', ')}`,
    );
    for (const [label, value] of Object.entries(figures)) expect(value, label).toBeGreaterThanOrEqual(0.75);
  });
});

import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVerifiedWeights, type ModelEntry, ModelIntegrityError, resolveModelPath } from '@podpreview/model-manifest';
import { audioGolden, decode16k, fakeAudioSession, goldenBatch as goldenBatchOf, openHead, SAMPLES_DIR, windowSpectra } from './testing/fixtures.ts';
import { ort, type ModelSession } from './session.ts';
import { runSoundEvents, SOUND_EVENT_CLASSES, SOUND_EVENTS_WINDOW_SAMPLES, soundEventFrameCount } from './sound-events.ts';
import { runSpectral } from './spectral.ts';

const W = SOUND_EVENTS_WINDOW_SAMPLES;
const golden = audioGolden;
const SAMPLES = SAMPLES_DIR;
const goldenBatch = () => goldenBatchOf(W);

/** Mean probability of one class over the frames that lie wholly inside [fromSec, toSec]. */
function meanOver(r: { probs: Float32Array; frameSec: number }, cls: number, fromSec: number, toSec: number): number {
  let sum = 0;
  let n = 0;
  for (let i = Math.ceil(fromSec / r.frameSec); i * r.frameSec + 1 <= toSec && i * 3 < r.probs.length; i++, n++) sum += r.probs[i * 3 + cls]!;
  if (n === 0) throw new Error(`no frame lies inside ${fromSec}-${toSec} s`);
  return sum / n;
}
const SPEECH = 0;
const MUSIC = 1;
const NOISE = 2;

let entry: ModelEntry;
let session: ModelSession;
let front: ModelSession;

beforeAll(async () => {
  ({ entry, head: session, front } = await openHead('sed-mini'));
});
afterAll(async () => {
  await session?.dispose();
  await front?.dispose();
});

/** sed-mini over a whole recording as stage A runs it: on its front end, 1 s windows every 0.5 s. */
async function soundEvents(samples: Float32Array) {
  const [r] = await runSpectral(front, [{ session, hopSec: 0.5, output: { name: 'probs', width: SOUND_EVENT_CLASSES.length } }], samples);
  return { probs: r!.values, frameSec: r!.frameSec, batchSizes: r!.batchSizes };
}

describe('sed-mini model file', () => {
  it('is listed as a sound-events model with its sha256, and loads only when it matches', async () => {
    expect(entry).toMatchObject({ kind: 'sound-events', stage: 'ensemble-a', licence: 'Apache-2.0', file: 'weights/sed-mini.onnx', frontEnd: 'audio-spectra' });
    expect(entry.params?.classes).toEqual(['speech', 'music', 'noise']);
    await expect(loadVerifiedWeights(entry)).resolves.toHaveLength(entry.bytes);
    // The same bytes with one flipped are refused.
    const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-sed-'));
    await mkdir(path.join(dir, 'weights'));
    const bytes = await readFile(resolveModelPath(entry));
    const at = bytes.length >> 1;
    bytes[at] = bytes[at]! ^ 0xff;
    await writeFile(path.join(dir, entry.file), bytes);
    await expect(loadVerifiedWeights(entry, path.join(dir, 'manifest.json'))).rejects.toThrow(ModelIntegrityError);
    await copyFile(resolveModelPath(entry), path.join(dir, entry.file));
    await expect(loadVerifiedWeights(entry, path.join(dir, 'manifest.json'))).resolves.toHaveLength(entry.bytes);
  });

  it('matches the numpy reference on the golden inputs, batched and one by one', async () => {
    const expected = golden.models['sed-mini']!;
    expect(expected.sha256).toBe(entry.sha256); // golden.json was written for this very file
    const want = (expected.probs as number[][]).flat();
    const n = golden.inputs.length;
    const x = await windowSpectra(front, goldenBatch(), n);
    const out = await session.run({ spectra: x });
    expect(out.probs!.dims).toEqual([n, 3]);
    const got = out.probs!.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-3);
    // Some golden output sits mid-range, where a wrong graph would show instead of saturating.
    expect(want.some((p) => p > 0.05 && p < 0.95)).toBe(true);
    for (let b = 0; b < n; b++) {
      const [, frames, width] = x.dims as [number, number, number];
      const window = (x.data as Float32Array).slice(b * frames * width, (b + 1) * frames * width);
      const one = await session.run({ spectra: new ort.Tensor('float32', window, [1, frames, width]) });
      for (let c = 0; c < 3; c++) expect(Math.abs((one.probs!.data as Float32Array)[c]! - got[b * 3 + c]!)).toBeLessThan(1e-5);
    }
  });
});

describe('runSoundEvents', () => {
  it('slides 1 s windows by the hop, zero-pads the tail and never sends more than maxBatch', async () => {
    // A fake model that reports each window's first and last sample and its batch position.
    const { session: fake, feeds } = fakeAudioSession(entry, (x, b) => {
      const probs = new Float32Array(b * 3);
      for (let i = 0; i < b; i++) probs.set([x[i * W]!, x[i * W + W - 1]!, i], i * 3);
      return { probs: new ort.Tensor('float32', probs, [b, 3]) };
    });
    const samples = Float32Array.from({ length: 59_200 }, (_, i) => i + 1); // 3.7 s
    const r = await runSoundEvents(fake, samples, { maxBatch: 2 });
    expect(r.frameSec).toBe(0.5);
    expect(r.classes).toEqual(['speech', 'music', 'noise']);
    expect(r.probs.length / 3).toBe(7); // starts 0, 0.5 ... 3.0 s; the last covers 3.0-4.0 s
    expect(feeds).toEqual([
      [2, W],
      [2, W],
      [2, W],
      [1, W],
    ]);
    expect(r).toMatchObject({ runs: 4, batchSizes: [2, 2, 2, 1] });
    for (let i = 0; i < 7; i++) expect(r.probs[i * 3]).toBe(i * 8000 + 1);
    expect(r.probs[5 * 3 + 1]).toBe(5 * 8000 + W); // 2.5-3.5 s lies inside the audio
    expect(r.probs[6 * 3 + 1]).toBe(0); // 3.0-4.0 s runs past the end: padded with zeros
    const hop = await runSoundEvents(fake, samples, { maxBatch: 64, hopSec: 1 });
    expect(hop).toMatchObject({ frameSec: 1, runs: 1, batchSizes: [4] });
    expect(soundEventFrameCount(0, 8000)).toBe(0);
    expect(soundEventFrameCount(100, 8000)).toBe(1);
    expect(soundEventFrameCount(W + 1, 8000)).toBe(2);
    await expect(runSoundEvents(fake, samples, { maxBatch: 0 })).rejects.toThrow(RangeError);
  });
});

describe('sed-mini on the bundled samples (samples/labels.json)', () => {
  it('news-brief: music over the 12 s intro, speech without music over the brief', async () => {
    const r = await soundEvents(decode16k(path.join(SAMPLES, 'news-brief.mp3')));
    expect(r.batchSizes.every((b) => b <= entry.batching.maxBatch)).toBe(true);
    expect(meanOver(r, MUSIC, 0, 12)).toBeGreaterThan(0.8);
    expect(meanOver(r, SPEECH, 0, 12)).toBeLessThan(0.1);
    expect(meanOver(r, SPEECH, 13, 98)).toBeGreaterThan(0.9);
    expect(meanOver(r, MUSIC, 13, 98)).toBeLessThan(0.15);
    expect(meanOver(r, NOISE, 13, 98)).toBeLessThan(0.1);
  });

  it('interview: the first 3 s of silence are noise/silence only', async () => {
    const r = await soundEvents(decode16k(path.join(SAMPLES, 'interview.mp3')));
    expect(meanOver(r, NOISE, 0, 3)).toBeGreaterThan(0.8);
    expect(meanOver(r, SPEECH, 0, 3)).toBeLessThan(0.1);
    expect(meanOver(r, MUSIC, 0, 3)).toBeLessThan(0.1);
    expect(meanOver(r, MUSIC, 3, 11)).toBeGreaterThan(0.8);
    expect(meanOver(r, NOISE, 59, 62)).toBeGreaterThan(0.8);
  });
});

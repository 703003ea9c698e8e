import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOUDNESS_WINDOW_SAMPLES, runLoudness } from './loudness.ts';
import { loadVerifiedWeights, ModelIntegrityError, modelsForStage, readManifest, resolveModelPath, type ModelEntry } from './manifest.ts';
import { audioGolden, decode16k, fakeAudioSession, goldenBatch as goldenBatchOf, SAMPLES_DIR } from './testing/fixtures.ts';
import { createModelSession, ort, type ModelSession } from './session.ts';

const W = LOUDNESS_WINDOW_SAMPLES;
const golden = audioGolden;
const SAMPLES = SAMPLES_DIR;
const goldenBatch = () => goldenBatchOf(W);

const span = (track: Float32Array, fromSec: number, toSec: number) => track.subarray(Math.round(fromSec / 0.01), Math.round(toSec / 0.01));
const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
const share = (a: Float32Array, pred: (v: number) => boolean) => a.filter(pred).length / a.length;

let entry: ModelEntry;
let session: ModelSession;

beforeAll(async () => {
  entry = modelsForStage(await readManifest(), 'ensemble-a').find((m) => m.id === 'loudness')!;
  session = await createModelSession(entry, 'cpu');
});
afterAll(() => session?.dispose());

describe('loudness model file', () => {
  it('is listed as a loudness model with its sha256, and loads only when it matches', async () => {
    expect(entry).toMatchObject({ kind: 'loudness', stage: 'ensemble-a', licence: 'Apache-2.0', file: 'weights/loudness.onnx' });
    await expect(loadVerifiedWeights(entry)).resolves.toHaveLength(entry.bytes);
    const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-loudness-'));
    await mkdir(path.join(dir, 'weights'));
    const bytes = await readFile(resolveModelPath(entry));
    const at = bytes.length - 100;
    bytes[at] = bytes[at]! ^ 0x01;
    await writeFile(path.join(dir, entry.file), bytes);
    await expect(loadVerifiedWeights(entry, path.join(dir, 'manifest.json'))).rejects.toThrow(ModelIntegrityError);
  });

  it('matches the numpy reference on the golden inputs, batched and one by one', async () => {
    const expected = golden.models.loudness!;
    expect(expected.sha256).toBe(entry.sha256); // golden.json was written for this very file
    const n = golden.inputs.length;
    const x = goldenBatch();
    const out = await session.run({ audio: new ort.Tensor('float32', x, [n, W]) });
    for (const name of ['rms_db', 'flux'] as const) {
      expect(out[name]!.dims).toEqual([n, 100]);
      const want = (expected[name] as number[][]).flat();
      const got = out[name]!.data as Float32Array;
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-3);
    }
    // The golden set includes digital silence, which must sit on the -100 dB floor.
    expect(Math.min(...(out.rms_db!.data as Float32Array))).toBe(-100);
    for (let b = 0; b < n; b++) {
      const one = await session.run({ audio: new ort.Tensor('float32', x.slice(b * W, (b + 1) * W), [1, W]) });
      const all = (out.rms_db!.data as Float32Array).subarray(b * 100, (b + 1) * 100);
      for (const [i, v] of (one.rms_db!.data as Float32Array).entries()) expect(Math.abs(v - all[i]!)).toBeLessThan(1e-4);
    }
  });
});

describe('runLoudness', () => {
  it('runs non-overlapping 1 s chunks, at most maxBatch a call, and trims the padding', async () => {
    // A fake model that numbers each chunk by its first sample.
    const { session: fake, feeds } = fakeAudioSession(entry, (x, b) => {
      const rms = new Float32Array(b * 100).map((_, i) => x[Math.floor(i / 100) * W + (i % 100) * 160]!);
      return { rms_db: new ort.Tensor('float32', rms, [b, 100]), flux: new ort.Tensor('float32', new Float32Array(b * 100).fill(0.5), [b, 100]) };
    });
    const samples = Float32Array.from({ length: 2.5 * W + 30 }, (_, i) => i + 1);
    const r = await runLoudness(fake, samples, { maxBatch: 2 });
    expect(feeds).toEqual([
      [2, W],
      [1, W],
    ]);
    expect(r).toMatchObject({ frameSec: 0.01, runs: 2, batchSizes: [2, 1] });
    expect(r.rmsDb.length).toBe(251); // 40030 samples: 250 whole frames and one started
    expect(r.flux.length).toBe(251);
    for (const [i, v] of r.rmsDb.entries()) expect(v).toBe(i * 160 + 1);
    expect((await runLoudness(fake, new Float32Array(0), { maxBatch: 2 })).runs).toBe(0);
  });
});

describe('loudness on the bundled samples (samples/labels.json)', () => {
  it('interview: low over the silent 0-3 s and 58.95-61.95 s, high over speech', async () => {
    const r = await runLoudness(session, decode16k(path.join(SAMPLES, 'interview.mp3')), entry.batching);
    expect(r.rmsDb.length).toBe(Math.ceil((100.719 * 16_000) / 160));
    expect(mean(span(r.rmsDb, 0.1, 2.9))).toBeLessThan(-70);
    expect(mean(span(r.rmsDb, 59.2, 61.7))).toBeLessThan(-70);
    const speech = span(r.rmsDb, 12, 58.5);
    // Speech is levelled to about -20 dBFS; its pauses are silent, so judge the voiced majority.
    expect(share(speech, (v) => v > -40)).toBeGreaterThan(0.6);
    expect(mean(speech)).toBeGreaterThan(mean(span(r.rmsDb, 59.2, 61.7)) + 30);
    // Flux: onsets in speech, next to nothing in digital silence.
    expect(mean(span(r.flux, 12, 58.5))).toBeGreaterThan(0.1);
    expect(mean(span(r.flux, 0.1, 2.9))).toBeLessThan(0.02);
  });
});

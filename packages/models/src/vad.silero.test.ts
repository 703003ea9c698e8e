import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVerifiedWeights, type ModelEntry, ModelIntegrityError, modelsForStage, readManifest } from '@podpreview/model-manifest';
import { decode16k, SAMPLES_DIR } from './testing/fixtures.ts';
import { ModelThreads } from './model-threads.ts';
import { createModelSession, type ModelSession } from './session.ts';
import { runSileroVad, VAD_FRAME_SEC } from './vad.silero.ts';

const SAMPLES = SAMPLES_DIR;
const WEIGHTS_DIR = fileURLToPath(new URL('../weights', import.meta.url));

const meanOver = (p: Float32Array, fromSec: number, toSec: number) => {
  const s = p.subarray(Math.round(fromSec / VAD_FRAME_SEC), Math.round(toSec / VAD_FRAME_SEC));
  return s.reduce((a, b) => a + b, 0) / s.length;
};

let entry: ModelEntry;
let session: ModelSession;
let interview: Float32Array;

beforeAll(async () => {
  const manifest = await readManifest();
  entry = modelsForStage(manifest, 'ensemble-a').find((m) => m.id === 'silero-vad')!;
  session = await createModelSession(entry, 'cpu');
  interview = decode16k(path.join(SAMPLES, 'interview.mp3'));
});

describe('Silero VAD (golden behaviour on a labelled sample)', () => {
  it('is low over silence and music, high over speech', async () => {
    const { probs } = await runSileroVad(session, interview, entry.batching);
    // samples/labels.json: silence 0–3 s, music 3–11 s, speech from 11.6 s, a silent gap 58.95–61.95 s.
    expect(meanOver(probs, 0, 3)).toBeLessThan(0.1);
    expect(meanOver(probs, 3.5, 10.5)).toBeLessThan(0.3);
    expect(meanOver(probs, 12, 58)).toBeGreaterThan(0.6);
    expect(meanOver(probs, 59.4, 61.5)).toBeLessThan(0.2);
  });

  it('gives the same track batched (many short segments) as run in one sequence', async () => {
    const batched = await runSileroVad(session, interview, { maxBatch: 64, segmentSec: 5, warmupFrames: 16 });
    const sequential = await runSileroVad(session, interview, { maxBatch: 1, segmentSec: 1e6, warmupFrames: 0 });
    expect(batched.batchSizes[0]).toBeGreaterThan(10);
    expect(sequential.batchSizes).toEqual([1]);
    // The recurrent state carries seconds of memory, so a segment's first frames differ a little;
    // what selection uses is the speech/non-speech decision and the mean, which must agree.
    let agree = 0;
    let absDiff = 0;
    for (let i = 0; i < batched.probs.length; i++) {
      if (batched.probs[i]! >= 0.5 === sequential.probs[i]! >= 0.5) agree++;
      absDiff += Math.abs(batched.probs[i]! - sequential.probs[i]!);
    }
    expect(agree / batched.probs.length).toBeGreaterThan(0.99);
    expect(absDiff / batched.probs.length).toBeLessThan(0.02);
  });

  it('at 8 kHz from 16-bit PCM on model threads (as the manifest runs it): the same golden behaviour, and the same decisions as 16 kHz', async () => {
    expect(entry.params?.sampleRateHz).toBe(8000);
    const pcm16 = Int16Array.from(interview, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32768))));
    const threads = new ModelThreads(2);
    try {
      const threaded = await createModelSession(entry, 'cpu', { threads });
      expect(threaded.lanes).toBe(2);
      const half = await runSileroVad(threaded, pcm16, { ...entry.batching, lanes: 2, sampleRateHz: 8000 });
      const full = await runSileroVad(session, interview, entry.batching);
      expect(half.probs.length).toBe(full.probs.length);
      expect(meanOver(half.probs, 0, 3)).toBeLessThan(0.1);
      expect(meanOver(half.probs, 3.5, 10.5)).toBeLessThan(0.3);
      expect(meanOver(half.probs, 12, 58)).toBeGreaterThan(0.6);
      expect(meanOver(half.probs, 59.4, 61.5)).toBeLessThan(0.2);
      let agree = 0;
      for (let i = 0; i < full.probs.length; i++) if (half.probs[i]! >= 0.5 === full.probs[i]! >= 0.5) agree++;
      expect(agree / full.probs.length).toBeGreaterThan(0.96);
    } finally {
      await threads.close();
    }
  });
});

describe('the batched graph (training/vad/regraph_silero.py)', () => {
  it("gives upstream v6.2's probabilities, at 8 kHz (rewritten) and 16 kHz (upstream's branch), to float rounding", async () => {
    // The vendored original, byte-identical to upstream's (weights/NOTICE.md).
    const upstream = await createModelSession(
      {
        ...entry,
        version: '6.2',
        file: 'training/vad/silero_vad.v6.2.onnx',
        sha256: '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3',
        bytes: 2_327_524,
      },
      'cpu',
    );
    try {
      for (const sampleRateHz of [8000, 16_000] as const) {
        const [ours, theirs] = await Promise.all([session, upstream].map((s) => runSileroVad(s, interview, { ...entry.batching, sampleRateHz })));
        expect(ours!.probs.length).toBe(theirs!.probs.length);
        let maxDiff = 0;
        for (let i = 0; i < ours!.probs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours!.probs[i]! - theirs!.probs[i]!));
        expect(maxDiff, `${sampleRateHz} Hz`).toBeLessThan(1e-4);
        // Speech and silence both present: the comparison covers both ends of the scale.
        expect(Math.min(...theirs!.probs)).toBeLessThan(0.05);
        expect(Math.max(...theirs!.probs)).toBeGreaterThan(0.95);
      }
    } finally {
      await upstream.dispose();
    }
  });
});

describe('model manifest', () => {
  it('lists every model with sha256 and licence', async () => {
    for (const m of await readManifest()) {
      expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(m.licence).not.toBe('');
    }
  });

  it('names every checked-in weight file once, and credits each third-party file in weights/NOTICE.md', async () => {
    const manifest = await readManifest();
    const onDisk = (await readdir(WEIGHTS_DIR)).filter((f) => f.endsWith('.onnx')).sort();
    // The speech-to-text model comes from a Debian package (absolute path); every other file is here.
    const vendored = manifest.filter((m) => !path.isAbsolute(m.file));
    expect(vendored.map((m) => m.file).sort()).toEqual(onDisk.map((f) => `weights/${f}`));
    const notice = await readFile(path.join(WEIGHTS_DIR, 'NOTICE.md'), 'utf8');
    // Ours say so in `source`; anything else is third-party and needs its notice.
    const thirdParty = manifest.filter((m) => !m.source.startsWith('podpreview'));
    expect(thirdParty.map((m) => m.id)).toContain('silero-vad');
    for (const m of thirdParty) {
      expect(notice).toContain(`\`${path.basename(m.file)}\``);
      expect(notice).toContain(m.sha256);
    }
    expect(entry).toMatchObject({ licence: 'MIT', file: 'weights/silero_vad.batched.onnx' });
    expect(notice).toContain('Copyright (c) 2020-present Silero Team');
  });

  it('refuses weights whose sha256 does not match', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-manifest-'));
    await writeFile(path.join(dir, 'fake.onnx'), Buffer.from('not the model'));
    const fake: ModelEntry = { ...entry, file: 'fake.onnx', bytes: 13 };
    await expect(loadVerifiedWeights(fake, path.join(dir, 'manifest.json'))).rejects.toThrow(ModelIntegrityError);
    await expect(loadVerifiedWeights(entry)).resolves.toHaveLength(entry.bytes);
  });
});

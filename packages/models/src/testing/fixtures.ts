import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesToFloat32, runCommandSync } from '@podpreview/shared';
import { type ModelEntry, modelsForStage, readManifest } from '@podpreview/model-manifest';
import { createModelSession, type ModelSession, modelKey, ort } from '../session.ts';

/** Shared by the model tests: the bundled samples and the audio training script's golden vectors. */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../../samples', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../training/audio/golden.json', import.meta.url));

export interface AudioGolden {
  inputs: { name: string; pcm16: string }[];
  models: Record<string, Record<string, string | number[][]>>;
}
export const audioGolden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as AudioGolden;

/** golden.json stores its 1 s inputs as base64 int16 so numpy and onnxruntime see the same floats. */
export function goldenBatch(windowSamples: number): Float32Array {
  const out = new Float32Array(audioGolden.inputs.length * windowSamples);
  audioGolden.inputs.forEach((input, i) => {
    const bytes = Buffer.from(input.pcm16, 'base64');
    for (let k = 0; k < windowSamples; k++) out[i * windowSamples + k] = bytes.readInt16LE(2 * k) / 32768;
  });
  return out;
}

/** Decodes with ffmpeg directly: this package must not depend on the audio package. */
export function decode16k(file: string): Float32Array {
  return bytesToFloat32(runCommandSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 'f32le', 'pipe:1']));
}

/**
 * A stand-in session for runner tests, a model that reads 1 s windows of audio: `respond` computes outputs from the `audio` batch, and
 * the dims of every call are recorded so tests can check how the runner batched its work.
 */
export function fakeAudioSession(
  entry: ModelEntry,
  respond: (x: Float32Array, batch: number) => Record<string, ort.Tensor>,
): { session: ModelSession; feeds: number[][] } {
  const feeds: number[][] = [];
  // A model that reads the audio itself, whatever front end the real one reads.
  const { frontEnd: _, ...own } = entry;
  const session: ModelSession = {
    entry: own,
    key: modelKey(entry),
    provider: 'cpu',
    loadMs: 0,
    lanes: 1,
    dispose: async () => {},
    run: async (f) => {
      const t = f.audio!;
      feeds.push(t.dims as number[]);
      return respond(t.data as Float32Array, t.dims[0]!);
    },
  };
  return { session, feeds };
}

/** A model of stage A that reads a front end, and that front end, loaded on the calling thread. */
export async function openHead(id: string): Promise<{ entry: ModelEntry; head: ModelSession; front: ModelSession }> {
  const models = modelsForStage(await readManifest(), 'ensemble-a');
  const entry = models.find((m) => m.id === id)!;
  const frontEntry = models.find((m) => m.id === entry.frontEnd)!;
  return { entry, head: await createModelSession(entry, 'cpu'), front: await createModelSession(frontEntry, 'cpu') };
}

const ROW_SAMPLES = 16_080;
const WINDOW_SAMPLES = 16_000;
const WINDOW_FRAMES = 49;

/**
 * What a head reads for the 1 s windows `x` ([n × 16000]): the front end over each window alone
 * (and a hop of silence after it), its first 49 frames; [n, 49, 208].
 */
export async function windowSpectra(front: ModelSession, x: Float32Array, n: number): Promise<ort.Tensor> {
  const rows = new Float32Array(n * ROW_SAMPLES);
  for (let b = 0; b < n; b++) rows.set(x.subarray(b * WINDOW_SAMPLES, (b + 1) * WINDOW_SAMPLES), b * ROW_SAMPLES);
  const out = (await front.run({ audio: new ort.Tensor('float32', rows, [n, ROW_SAMPLES]) })).spectra!;
  const [, frames, width] = out.dims as [number, number, number];
  const data = out.data as Float32Array;
  const windows = new Float32Array(n * WINDOW_FRAMES * width);
  for (let b = 0; b < n; b++) windows.set(data.subarray(b * frames * width, (b * frames + WINDOW_FRAMES) * width), b * WINDOW_FRAMES * width);
  return new ort.Tensor('float32', windows, [n, WINDOW_FRAMES, width]);
}

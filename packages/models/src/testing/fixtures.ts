import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesToFloat32, runCommandSync } from '@podpreview/shared';
import type { ModelEntry } from '@podpreview/model-manifest';
import type { ModelSession, ort } from '../session.ts';

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
 * A stand-in session for runner tests: `respond` computes outputs from the `audio` batch, and
 * the dims of every call are recorded so tests can check how the runner batched its work.
 */
export function fakeAudioSession(
  entry: ModelEntry,
  respond: (x: Float32Array, batch: number) => Record<string, ort.Tensor>,
): { session: ModelSession; feeds: number[][] } {
  const feeds: number[][] = [];
  const session: ModelSession = {
    entry: { ...entry },
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

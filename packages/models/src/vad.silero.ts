import { ort, type ModelSession } from './session.ts';

export const VAD_SAMPLE_RATE_HZ = 16_000;
export const VAD_FRAME_SAMPLES = 512;
export const VAD_FRAME_SEC = VAD_FRAME_SAMPLES / VAD_SAMPLE_RATE_HZ;
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 128;

export interface VadOptions {
  maxBatch: number;
  /** Shortest segment; longer episodes get longer segments so one batch of `maxBatch` covers them. */
  segmentSec?: number;
  /** Frames run before each segment's first kept frame, so its recurrent state is warm. */
  warmupFrames?: number;
}

export interface VadResult {
  /** Speech probability per 32 ms frame. */
  probs: Float32Array;
  frameSec: number;
  batchSizes: number[];
  runs: number;
}

/**
 * Silero VAD, batched: the audio is cut into segments that run side by side as one batch, each
 * with its own recurrent state, instead of one 32 ms chunk at a time for the whole episode.
 * Each segment starts `warmupFrames` early and drops those outputs, so the reset state at a
 * segment boundary does not show in the track.
 */
export async function runSileroVad(session: ModelSession, samples: Float32Array, options: VadOptions): Promise<VadResult> {
  const o = { segmentSec: 5, warmupFrames: 32, ...options };
  const frames = Math.ceil(samples.length / VAD_FRAME_SAMPLES);
  const probs = new Float32Array(frames);
  // Wall time follows the number of sequential steps (segment length), not the batch width,
  // so segments are made as short as the batch allows: a 40 s episode runs as 8 segments of
  // 5 s side by side instead of one 40 s sequence.
  const segFrames = Math.max(1, Math.round(o.segmentSec / VAD_FRAME_SEC), Math.ceil(frames / o.maxBatch));
  const segments: { first: number; keepFrom: number; end: number }[] = [];
  for (let keepFrom = 0; keepFrom < frames; keepFrom += segFrames) {
    segments.push({ first: Math.max(0, keepFrom - o.warmupFrames), keepFrom, end: Math.min(frames, keepFrom + segFrames) });
  }
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE_HZ)]), []);
  const batchSizes: number[] = [];
  let runs = 0;
  for (let g = 0; g < segments.length; g += o.maxBatch) {
    const group = segments.slice(g, g + o.maxBatch);
    const batch = group.length;
    batchSizes.push(batch);
    const width = CONTEXT_SAMPLES + VAD_FRAME_SAMPLES;
    let state = new Float32Array(STATE_SIZE * batch);
    const contexts = new Float32Array(CONTEXT_SAMPLES * batch);
    const steps = Math.max(...group.map((s) => s.end - s.first));
    const input = new Float32Array(width * batch);
    for (let step = 0; step < steps; step++) {
      input.fill(0);
      for (let b = 0; b < batch; b++) {
        const seg = group[b]!;
        const frame = seg.first + step;
        const row = input.subarray(b * width, (b + 1) * width);
        row.set(contexts.subarray(b * CONTEXT_SAMPLES, (b + 1) * CONTEXT_SAMPLES), 0);
        if (frame < seg.end) {
          const from = frame * VAD_FRAME_SAMPLES;
          row.set(samples.subarray(from, Math.min(samples.length, from + VAD_FRAME_SAMPLES)), CONTEXT_SAMPLES);
        }
        contexts.set(row.subarray(width - CONTEXT_SAMPLES), b * CONTEXT_SAMPLES);
      }
      const out = await session.run({
        input: new ort.Tensor('float32', input, [batch, width]),
        state: new ort.Tensor('float32', state, [2, batch, 128]),
        sr,
      });
      runs++;
      const p = out.output!.data as Float32Array;
      state = new Float32Array(out.stateN!.data as Float32Array);
      for (let b = 0; b < batch; b++) {
        const seg = group[b]!;
        const frame = seg.first + step;
        if (frame >= seg.keepFrom && frame < seg.end) probs[frame] = p[b]!;
      }
    }
  }
  return { probs, frameSec: VAD_FRAME_SEC, batchSizes, runs };
}

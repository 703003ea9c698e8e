import { ort, type ModelSession } from './session.ts';

export const LOUDNESS_FRAME_SEC = 0.01;
/** One model input: 1 s of 16 kHz mono, giving 100 frames of 10 ms. */
export const LOUDNESS_WINDOW_SAMPLES = 16_000;
const FRAME_SAMPLES = 160;
const FRAMES_PER_WINDOW = LOUDNESS_WINDOW_SAMPLES / FRAME_SAMPLES;

export interface LoudnessOptions {
  /** Most 1 s chunks in one `session.run` call. */
  maxBatch: number;
}

export interface LoudnessResult {
  frameSec: typeof LOUDNESS_FRAME_SEC;
  /** RMS per 10 ms frame in dBFS, floored at -100; one value per started frame of the audio. */
  rmsDb: Float32Array;
  /**
   * Half-wave-rectified spectral flux per frame, normalized to [0, 1). The first frame of each
   * 1 s chunk has no predecessor inside its chunk and repeats the second.
   */
  flux: Float32Array;
  runs: number;
  batchSizes: number[];
}

/**
 * The loudness graph over a whole episode: non-overlapping 1 s chunks (the last zero-padded),
 * at most `maxBatch` per run, their frames concatenated.
 */
export async function runLoudness(session: ModelSession, samples: Float32Array, options: LoudnessOptions): Promise<LoudnessResult> {
  const { maxBatch } = options;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const width = LOUDNESS_WINDOW_SAMPLES;
  const chunks = Math.ceil(samples.length / width);
  const frames = Math.ceil(samples.length / FRAME_SAMPLES);
  const rmsDb = new Float32Array(chunks * FRAMES_PER_WINDOW);
  const flux = new Float32Array(chunks * FRAMES_PER_WINDOW);
  const batchSizes: number[] = [];
  for (let first = 0; first < chunks; first += maxBatch) {
    const batch = Math.min(maxBatch, chunks - first);
    // The chunks are contiguous, so the batch is one copy; zero-filled past the end of the audio.
    const input = new Float32Array(batch * width);
    input.set(samples.subarray(first * width, Math.min(samples.length, (first + batch) * width)));
    const out = await session.run({ audio: new ort.Tensor('float32', input, [batch, width]) });
    for (const [name, into] of [
      ['rms_db', rmsDb],
      ['flux', flux],
    ] as const) {
      const t = out[name];
      if (!t || t.dims[0] !== batch || t.dims[1] !== FRAMES_PER_WINDOW) {
        throw new Error(`${session.entry.id}: expected output ${name} [${batch}, ${FRAMES_PER_WINDOW}], got ${t ? `[${t.dims.join(', ')}]` : 'none'}`);
      }
      into.set((t.data as Float32Array).subarray(0, batch * FRAMES_PER_WINDOW), first * FRAMES_PER_WINDOW);
    }
    batchSizes.push(batch);
  }
  // Frames wholly inside the padding are not part of the episode.
  return { frameSec: LOUDNESS_FRAME_SEC, rmsDb: rmsDb.slice(0, frames), flux: flux.slice(0, frames), runs: batchSizes.length, batchSizes };
}

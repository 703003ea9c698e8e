import { inParallel } from './in-parallel.ts';
import { copyPcm, type Pcm } from './pcm.ts';
import { ort, type ModelSession } from './session.ts';

export const SOUND_EVENT_CLASSES = ['speech', 'music', 'noise'] as const;
export const SOUND_EVENTS_SAMPLE_RATE_HZ = 16_000;
/** One model input: 1 s of 16 kHz mono. */
export const SOUND_EVENTS_WINDOW_SAMPLES = 16_000;

export interface SoundEventOptions {
  /** Most windows in one `session.run` call. */
  maxBatch: number;
  /** Calls in flight at once (the session's lanes). */
  lanes?: number;
  /**
   * Step between window starts, in seconds.
   * @defaultValue 0.5
   */
  hopSec?: number;
}

export interface SoundEventResult {
  /** Step between frames (the hop): frame i covers [i * frameSec, i * frameSec + 1 s). */
  frameSec: number;
  classes: typeof SOUND_EVENT_CLASSES;
  /** frames x 3, row-major: independent probabilities of speech, music and noise/silence. */
  probs: Float32Array;
  runs: number;
  batchSizes: number[];
}

/**
 * Windows needed to cover `sampleCount` samples: the last one starts before the end and is
 * zero-padded by less than a hop, so no window is mostly padding.
 */
export function soundEventFrameCount(sampleCount: number, hopSamples: number): number {
  if (sampleCount === 0) return 0;
  if (sampleCount <= SOUND_EVENTS_WINDOW_SAMPLES) return 1;
  return Math.ceil((sampleCount - SOUND_EVENTS_WINDOW_SAMPLES) / hopSamples) + 1;
}

/** How to read one windowed model's output: its name and values per window. */
export interface WindowedOutput {
  name: string;
  width: number;
}

/**
 * A 1 s-window model over a whole episode: windows every `hopSec`, at most `maxBatch` per run,
 * each window's `output.width` values in order. Windows are independent, so a micro-batcher may
 * merge these calls with other jobs'.
 */
export async function runWindowed(session: ModelSession, samples: Pcm, options: SoundEventOptions, output: WindowedOutput) {
  const { maxBatch } = options;
  const hop = Math.round((options.hopSec ?? 0.5) * SOUND_EVENTS_SAMPLE_RATE_HZ);
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  if (!(hop >= 1)) throw new RangeError(`hopSec must be at least one sample, got ${options.hopSec}`);
  const width = SOUND_EVENTS_WINDOW_SAMPLES;
  const frames = soundEventFrameCount(samples.length, hop);
  const values = new Float32Array(frames * output.width);
  const batchSizes: number[] = [];
  const firsts: number[] = [];
  for (let first = 0; first < frames; first += maxBatch) firsts.push(first);
  await inParallel(firsts, options.lanes ?? 1, async (first) => {
    const batch = Math.min(maxBatch, frames - first);
    // A fresh buffer per call: a micro-batcher may still hold the previous one. Zero-filled,
    // so the part of the last window past the end of the audio is silence.
    const input = new Float32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const from = (first + b) * hop;
      copyPcm(input, b * width, samples, from, from + width);
    }
    const out = await session.run({ audio: new ort.Tensor('float32', input, [batch, width]) });
    const p = out[output.name];
    if (!p || p.dims[0] !== batch || p.dims[1] !== output.width) {
      throw new Error(`${session.entry.id}: expected output ${output.name} [${batch}, ${output.width}], got ${p ? `[${p.dims.join(', ')}]` : 'none'}`);
    }
    values.set((p.data as Float32Array).subarray(0, batch * output.width), first * output.width);
    batchSizes.push(batch);
  });
  return { frameSec: hop / SOUND_EVENTS_SAMPLE_RATE_HZ, values, runs: batchSizes.length, batchSizes };
}

/** sed-mini over a whole episode: 1 s windows every `hopSec`. */
export async function runSoundEvents(session: ModelSession, samples: Pcm, options: SoundEventOptions): Promise<SoundEventResult> {
  const r = await runWindowed(session, samples, options, { name: 'probs', width: SOUND_EVENT_CLASSES.length });
  return { frameSec: r.frameSec, classes: SOUND_EVENT_CLASSES, probs: r.values, runs: r.runs, batchSizes: r.batchSizes };
}

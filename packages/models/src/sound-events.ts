import { inParallel } from './in-parallel.ts';
import { type Pcm, toSharedPcm } from './pcm.ts';
import { type ModelSession, runKernel } from './session.ts';

export const SOUND_EVENT_CLASSES = ['speech', 'music', 'noise'] as const;
export const SOUND_EVENTS_SAMPLE_RATE_HZ = 16_000;
/** Tasks per lane a windowed model's episode is cut into (a lane that finishes early takes the next). */
const TASKS_PER_LANE = 2;
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
  /** A priority job's run: its calls go ahead of others waiting for a model thread. */
  urgent?: boolean;
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
 * merge these calls with other jobs' (CUDA, where models run on the calling thread).
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
  // Stretches of windows, a few per lane so the lanes stay evenly busy: each runs as one task
  // on a model thread that reads the shared PCM in place.
  const lanes = options.lanes ?? 1;
  const perTask = Math.max(maxBatch, Math.ceil(frames / (lanes * TASKS_PER_LANE) / maxBatch) * maxBatch);
  const firsts: number[] = [];
  for (let first = 0; first < frames; first += perTask) firsts.push(first);
  const shared = session.kernel ? toSharedPcm(samples) : samples;
  await inParallel(firsts, lanes, async (first) => {
    const count = Math.min(perTask, frames - first);
    const r = await runKernel(
      session,
      'windows',
      shared,
      {
        first,
        count,
        hop,
        width,
        maxBatch,
        output: output.name,
        outputWidth: output.width,
        label: session.entry.id,
      },
      { urgent: options.urgent === true },
    );
    values.set(r.values, first * output.width);
    batchSizes.push(...r.items);
  });
  return { frameSec: hop / SOUND_EVENTS_SAMPLE_RATE_HZ, values, runs: batchSizes.length, batchSizes };
}

/** sed-mini over a whole episode: 1 s windows every `hopSec`. */
export async function runSoundEvents(session: ModelSession, samples: Pcm, options: SoundEventOptions): Promise<SoundEventResult> {
  const r = await runWindowed(session, samples, options, { name: 'probs', width: SOUND_EVENT_CLASSES.length });
  return { frameSec: r.frameSec, classes: SOUND_EVENT_CLASSES, probs: r.values, runs: r.runs, batchSizes: r.batchSizes };
}

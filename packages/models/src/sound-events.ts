import { inParallel } from './in-parallel.ts';
import { type Pcm, toSharedPcm } from './pcm.ts';
import { type ModelSession, runKernel } from './session.ts';
import { runSpectral } from './spectral.ts';
import { SOUND_EVENTS_SAMPLE_RATE_HZ, SOUND_EVENTS_WINDOW_SAMPLES, soundEventFrameCount, type WindowedOutput } from './windowing.ts';

export { SOUND_EVENTS_SAMPLE_RATE_HZ, SOUND_EVENTS_WINDOW_SAMPLES, soundEventFrameCount, type WindowedOutput } from './windowing.ts';

export const SOUND_EVENT_CLASSES = ['speech', 'music', 'noise'] as const;
/** Tasks per lane a windowed model's episode is cut into (a lane that finishes early takes the next). */
const TASKS_PER_LANE = 2;

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
  /** The front end the model reads, for a model whose entry names one (`frontEnd`). */
  front?: ModelSession;
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
 * A 1 s-window model over a whole episode: windows every `hopSec`, at most `maxBatch` per run,
 * each window's `output.width` values in order. A model on a front end runs through it
 * (runSpectral; stage A runs a front end's models together instead). Windows are independent, so a micro-batcher may
 * merge these calls with other jobs' (CUDA, where models run on the calling thread).
 */
export async function runWindowed(session: ModelSession, samples: Pcm, options: SoundEventOptions, output: WindowedOutput) {
  if (session.entry.frontEnd) {
    if (!options.front) throw new Error(`${session.entry.id} reads the ${session.entry.frontEnd} front end: pass its session (front)`);
    const [r] = await runSpectral(options.front, [{ session, hopSec: options.hopSec ?? 0.5, output }], samples, {
      ...(options.lanes ? { lanes: options.lanes } : {}),
      urgent: options.urgent === true,
    });
    return { frameSec: r!.frameSec, values: r!.values, runs: r!.batchSizes.length, batchSizes: r!.batchSizes };
  }
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

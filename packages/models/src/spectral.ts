import { inParallel } from './in-parallel.ts';
import { type Pcm, toSharedPcm } from './pcm.ts';
import { type ModelSession, runKernel } from './session.ts';
import { SOUND_EVENTS_SAMPLE_RATE_HZ, soundEventFrameCount, type WindowedOutput } from './windowing.ts';

/** Front-end tasks per lane an episode is cut into (a lane that finishes early takes the next). */
const TASKS_PER_LANE = 2;

/** A model that reads a front end's frames: 1 s windows every `hopSec`. */
export interface SpectralHead {
  session: ModelSession;
  hopSec: number;
  output: WindowedOutput;
}

export interface SpectralHeadResult {
  /** Step between windows: window i covers [i * frameSec, i * frameSec + 1 s). */
  frameSec: number;
  /** windows × output width, row-major. */
  values: Float32Array;
  batchSizes: number[];
}

/** The front end's shape, from its manifest entry (audio-spectra's values as defaults). */
function frontShape(front: ModelSession) {
  const p = front.entry.params ?? {};
  const n = (key: string, fallback: number) => {
    const v = Number(p[key] ?? fallback);
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${front.entry.id}: params.${key} must be a positive integer, got ${String(p[key])}`);
    return v;
  };
  const shape = {
    rowSamples: n('rowSamples', 16_080),
    framesPerRow: n('framesPerRow', 50),
    hopSamples: n('hopSamples', 320),
    width: n('width', 208),
    windowFrames: n('windowFrames', 49),
  };
  if (shape.framesPerRow * shape.hopSamples !== SOUND_EVENTS_SAMPLE_RATE_HZ) {
    throw new RangeError(`${front.entry.id}: a row must be one second of frames (framesPerRow × hopSamples = ${SOUND_EVENTS_SAMPLE_RATE_HZ})`);
  }
  return shape;
}

/**
 * A front end and the models that read it, over a whole episode: the front end computes each
 * 20 ms frame's spectra once, and each head reads the 49 frames of each of its 1 s windows, so
 * overlapping windows and several models share the work the front end does (most of it). The
 * episode is cut into stretches of rows, a few per lane, each one kernel task on a model thread.
 */
export async function runSpectral(
  front: ModelSession,
  heads: readonly SpectralHead[],
  samples: Pcm,
  o: { lanes?: number; urgent?: boolean } = {},
): Promise<SpectralHeadResult[]> {
  const shape = frontShape(front);
  const plans = heads.map((h) => {
    const hopSamples = Math.round(h.hopSec * SOUND_EVENTS_SAMPLE_RATE_HZ);
    const hopFrames = hopSamples / shape.hopSamples;
    if (!Number.isInteger(hopFrames) || hopFrames < 1) {
      throw new RangeError(`${h.session.entry.id}: its hop (${h.hopSec} s) must be a whole number of ${front.entry.id}'s frames (${shape.hopSamples} samples)`);
    }
    return {
      key: h.session.key,
      hopFrames,
      windows: soundEventFrameCount(samples.length, hopSamples),
      maxBatch: h.session.entry.batching.maxBatch,
      output: h.output.name,
      outputWidth: h.output.width,
      label: h.session.entry.id,
    };
  });
  // Rows holding a window start; the last one's window reaches into the row after it.
  const rows = Math.max(0, ...plans.map((p) => (p.windows === 0 ? 0 : Math.floor(((p.windows - 1) * p.hopFrames) / shape.framesPerRow) + 1)));
  const maxBatch = front.entry.batching.maxBatch;
  const lanes = o.lanes ?? front.lanes;
  const perTask = Math.max(maxBatch, Math.ceil(rows / (lanes * TASKS_PER_LANE) / maxBatch) * maxBatch);
  const firsts: number[] = [];
  for (let first = 0; first < rows; first += perTask) firsts.push(first);
  const results = plans.map((p) => ({ values: new Float32Array(p.windows * p.outputWidth), batchSizes: [] as number[] }));
  const shared = front.kernel ? toSharedPcm(samples) : samples;
  const others = heads.map((h) => h.session);
  await inParallel(firsts, lanes, async (firstRow) => {
    const r = await runKernel(
      front,
      'spectral',
      shared,
      {
        firstRow,
        rows: Math.min(perTask, rows - firstRow),
        rowSamples: shape.rowSamples,
        rowStep: SOUND_EVENTS_SAMPLE_RATE_HZ,
        framesPerRow: shape.framesPerRow,
        width: shape.width,
        windowFrames: shape.windowFrames,
        maxBatch,
        heads: plans,
        label: front.entry.id,
      },
      { urgent: o.urgent === true },
      others,
    );
    let at = 0;
    for (const [h, part] of (r.parts ?? []).entries()) {
      const width = plans[h]!.outputWidth;
      results[h]!.values.set(r.values.subarray(at, at + part.count * width), part.first * width);
      at += part.count * width;
      results[h]!.batchSizes.push(...part.items);
      // On a model thread the heads ran there, past their sessions' wrappers: counted here.
      if (front.kernel) heads[h]!.session.account?.(part.items, part.ms);
    }
  });
  return heads.map((h, i) => ({ frameSec: h.hopSec, values: results[i]!.values, batchSizes: results[i]!.batchSizes }));
}

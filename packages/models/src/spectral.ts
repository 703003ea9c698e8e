import { inParallel } from './in-parallel.ts';
import type { SpectralHeadPlan as HeadPlan } from './kernels.mjs';
import { type Pcm, toSharedPcm } from './pcm.ts';
import type { PcmStream } from './pcm-stream.ts';
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

/** One task's output for one head: its windows from `first` on. */
interface Part {
  first: number;
  values: Float32Array;
  batchSizes: number[];
}

/**
 * The front end and its heads over `samples`, with what is shared by a whole episode's pass
 * and a streamed one: the plan of each head, one kernel task over a stretch of rows, and the
 * tracks assembled from the tasks' parts.
 */
function spectralPass(front: ModelSession, heads: readonly SpectralHead[], o: { urgent?: boolean }) {
  const shape = frontShape(front);
  const hops = heads.map((h) => {
    const hopSamples = Math.round(h.hopSec * SOUND_EVENTS_SAMPLE_RATE_HZ);
    const hopFrames = hopSamples / shape.hopSamples;
    if (!Number.isInteger(hopFrames) || hopFrames < 1) {
      throw new RangeError(`${h.session.entry.id}: its hop (${h.hopSec} s) must be a whole number of ${front.entry.id}'s frames (${shape.hopSamples} samples)`);
    }
    return { hopSamples, hopFrames };
  });
  const plansFor = (windows: (h: number) => number): HeadPlan[] =>
    heads.map((h, i) => ({
      key: h.session.key,
      hopFrames: hops[i]!.hopFrames,
      windows: windows(i),
      maxBatch: h.session.entry.batching.maxBatch,
      output: h.output.name,
      outputWidth: h.output.width,
      label: h.session.entry.id,
    }));
  const parts: Part[][] = heads.map(() => []);
  const others = heads.map((h) => h.session);
  return {
    shape,
    /** Each head's windows over `sampleCount` samples, and the rows holding a window start (the last one's window reaches into the row after it). */
    whole(sampleCount: number) {
      const plans = plansFor((i) => soundEventFrameCount(sampleCount, hops[i]!.hopSamples));
      const rows = Math.max(0, ...plans.map((p) => (p.windows === 0 ? 0 : Math.floor(((p.windows - 1) * p.hopFrames) / shape.framesPerRow) + 1)));
      return { plans, rows };
    },
    /** The windows that start in the first `rows` rows: all of them lie inside audio that reaches one row and one hop past those rows. */
    startingIn(rows: number) {
      return plansFor((i) => Math.ceil((rows * shape.framesPerRow) / hops[i]!.hopFrames));
    },
    /** One kernel task: the windows starting in rows `firstRow` … `firstRow + rows - 1`. */
    async task(samples: Pcm, plans: HeadPlan[], firstRow: number, rows: number) {
      const r = await runKernel(
        front,
        'spectral',
        samples,
        {
          firstRow,
          rows,
          rowSamples: shape.rowSamples,
          rowStep: SOUND_EVENTS_SAMPLE_RATE_HZ,
          framesPerRow: shape.framesPerRow,
          width: shape.width,
          windowFrames: shape.windowFrames,
          maxBatch: front.entry.batching.maxBatch,
          heads: plans,
          label: front.entry.id,
        },
        { urgent: o.urgent === true },
        others,
      );
      let at = 0;
      for (const [h, part] of (r.parts ?? []).entries()) {
        const width = plans[h]!.outputWidth;
        parts[h]!.push({ first: part.first, values: r.values.subarray(at, at + part.count * width), batchSizes: part.items });
        at += part.count * width;
        // On a model thread the heads ran there, past their sessions' wrappers: counted here.
        if (front.kernel) heads[h]!.session.account?.(part.items, part.ms);
      }
    },
    /** The heads' tracks, once tasks have covered every window of `plans`. */
    results(plans: HeadPlan[]): SpectralHeadResult[] {
      return heads.map((h, i) => {
        const width = plans[i]!.outputWidth;
        const values = new Float32Array(plans[i]!.windows * width);
        const sorted = parts[i]!.sort((a, b) => a.first - b.first);
        for (const p of sorted) values.set(p.values, p.first * width);
        return { frameSec: h.hopSec, values, batchSizes: sorted.flatMap((p) => p.batchSizes) };
      });
    },
  };
}

/** Splits rows `from` … `to - 1` into tasks of a few per lane (whole blocks of the front end's batch). */
function tasksOver(from: number, to: number, maxBatch: number, lanes: number): { firstRow: number; rows: number }[] {
  const rows = to - from;
  const perTask = Math.max(maxBatch, Math.ceil(rows / (lanes * TASKS_PER_LANE) / maxBatch) * maxBatch);
  const tasks: { firstRow: number; rows: number }[] = [];
  for (let first = from; first < to; first += perTask) tasks.push({ firstRow: first, rows: Math.min(perTask, to - first) });
  return tasks;
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
  const pass = spectralPass(front, heads, o);
  const { plans, rows } = pass.whole(samples.length);
  const shared = front.kernel ? toSharedPcm(samples) : samples;
  const lanes = o.lanes ?? front.lanes;
  await inParallel(tasksOver(0, rows, front.entry.batching.maxBatch, lanes), lanes, (t) => pass.task(shared, plans, t.firstRow, t.rows));
  return pass.results(plans);
}

/** Rows a task takes at most while the audio still arrives: 32 s of it, the front end's extra row per task a thirty-second of its work. */
const STREAMED_TASK_ROWS = 32;

/**
 * As runSpectral, over audio that is still being decoded: while it arrives, one task at a time
 * (decoding holds a core) runs over the rows whose windows lie wholly in the audio so far; once
 * it has all arrived, the rest runs on every lane. The same windows, in the same tracks, as
 * runSpectral over the finished audio (the front end's and heads' outputs do not depend on how
 * the windows are batched). `signal` stops it between tasks, before the audio has all arrived or after.
 */
export async function runSpectralStreamed(
  front: ModelSession,
  heads: readonly SpectralHead[],
  stream: PcmStream,
  o: { lanes?: number; urgent?: boolean; signal?: AbortSignal } = {},
): Promise<SpectralHeadResult[]> {
  const pass = spectralPass(front, heads, o);
  const { rowSamples } = pass.shape;
  const maxBatch = front.entry.batching.maxBatch;
  // Samples a task over the rows before `row` reads: up to one row and a hop past them.
  const reach = (row: number) => row * SOUND_EVENTS_SAMPLE_RATE_HZ + rowSamples;
  let row = 0;
  for (;;) {
    o.signal?.throwIfAborted();
    const arrived = await stream.until(reach(row + maxBatch));
    o.signal?.throwIfAborted();
    if (stream.ended) break;
    const ready = Math.min(STREAMED_TASK_ROWS, Math.floor((arrived - rowSamples) / SOUND_EVENTS_SAMPLE_RATE_HZ) - row);
    await pass.task(stream.view(reach(row + ready)), pass.startingIn(row + ready), row, ready);
    row += ready;
  }
  const samples = stream.view();
  const { plans, rows } = pass.whole(samples.length);
  const lanes = o.lanes ?? front.lanes;
  await inParallel(tasksOver(row, rows, maxBatch, lanes), lanes, (t) => {
    // Dropped once decoded (a duplicate found after the decode): the rest is not run.
    o.signal?.throwIfAborted();
    return pass.task(samples, plans, t.firstRow, t.rows);
  });
  return pass.results(plans);
}

// Model kernels: the loops that drive one model over a stretch of an episode's PCM. In a model
// thread (session.thread.mjs) they read the episode's PCM in place from shared memory, so a
// stretch costs one message each way instead of one per inference call and one copy of its
// audio per call; where models run on the calling thread (CUDA) the same code runs there.
// Plain JavaScript for the same reason as session.thread.mjs: the thread starts it as it is,
// from the sources, from a bundle and in the images.

const INT16_SCALE = 1 / 32_768;

/** Copies `src[from, to)` into `dst` at `at` as float32 in ±1 (beyond the end of `src`: left as is). */
export function copyPcm(dst, at, src, from, to) {
  const end = Math.min(to, src.length);
  if (src instanceof Float32Array) {
    dst.set(src.subarray(from, end), at);
    return;
  }
  for (let i = from; i < end; i++) dst[at + i - from] = src[i] * INT16_SCALE;
}

/**
 * Copies `src[from, to)` into `dst` at `at` at half the sample rate, low-passed first: `(to -
 * from) / 2` float32 values (`from` even). The filter is the 7-tap half-band
 * [-1, 0, 9, 16, 9, 0, -1] / 32, written out (it runs on every sample of the episode); samples
 * past either end of `src` count as the edge one.
 */
export function copyPcmHalfRate(dst, at, src, from, to) {
  const scale = src instanceof Float32Array ? 1 / 32 : INT16_SCALE / 32;
  const last = src.length - 1;
  const outputs = Math.min(Math.floor((to - from) / 2), Math.floor((last - from) / 2) + 1);
  for (let i = 0; i < outputs; i++) {
    const c = from + 2 * i;
    if (c >= 3 && c + 3 <= last) {
      dst[at + i] = (16 * src[c] + 9 * (src[c - 1] + src[c + 1]) - (src[c - 3] + src[c + 3])) * scale;
    } else {
      const x = (k) => src[Math.max(0, Math.min(k, last))];
      dst[at + i] = (16 * x(c) + 9 * (x(c - 1) + x(c + 1)) - (x(c - 3) + x(c + 3))) * scale;
    }
  }
}

/** Samples of the 16 kHz PCM per Silero frame (32 ms), whatever rate the model runs at. */
export const VAD_FRAME_SAMPLES = 512;
const STATE_SIZE = 2 * 128;
/** Silero's two modes: samples per 32 ms frame and the context carried from the previous one. */
const SILERO_MODES = { 16000: { frame: 512, context: 64 }, 8000: { frame: 256, context: 32 } };

async function timed(model, feeds, items, stats) {
  const started = performance.now();
  const out = await model.run(feeds);
  stats.items.push(items);
  stats.ms.push(performance.now() - started);
  return out;
}

/**
 * Silero over one group of segments, side by side as one batch, each with its own recurrent
 * state. A segment runs from `first`; its outputs before `keepFrom` (the warm-up) are dropped.
 * Returns the kept frames' speech probabilities, segment after segment.
 */
export async function sileroGroup(model, samples, plan) {
  const mode = SILERO_MODES[plan.sampleRateHz];
  if (!mode) throw new RangeError(`Silero runs at 16000 or 8000 Hz, not ${plan.sampleRateHz}`);
  const { context } = mode;
  const copyFrame = plan.sampleRateHz === 16_000 ? copyPcm : copyPcmHalfRate;
  const group = plan.segments;
  const batch = group.length;
  const width = context + mode.frame;
  const offsets = [];
  let kept = 0;
  for (const seg of group) {
    offsets.push(kept);
    kept += seg.end - seg.keepFrom;
  }
  const values = new Float32Array(kept);
  const stats = { items: [], ms: [] };
  const sr = new model.Tensor('int64', BigInt64Array.from([BigInt(plan.sampleRateHz)]), []);
  let state = new Float32Array(STATE_SIZE * batch);
  const contexts = new Float32Array(context * batch);
  const steps = Math.max(...group.map((s) => s.end - s.first));
  // One input buffer for every step: each call ends before the next is built (a micro-batcher
  // too answers only after its inference), and garbage buffers would pile up as memory.
  const input = new Float32Array(width * batch);
  for (let step = 0; step < steps; step++) {
    for (let b = 0; b < batch; b++) {
      const seg = group[b];
      const frame = seg.first + step;
      const row = input.subarray(b * width, (b + 1) * width);
      row.set(contexts.subarray(b * context, (b + 1) * context), 0);
      row.fill(0, context);
      if (frame < seg.end) {
        const from = frame * VAD_FRAME_SAMPLES;
        copyFrame(row, context, samples, from, from + VAD_FRAME_SAMPLES);
      }
      contexts.set(row.subarray(width - context), b * context);
    }
    const out = await timed(
      model,
      { input: new model.Tensor('float32', input, [batch, width]), state: new model.Tensor('float32', state, [2, batch, 128]), sr },
      batch,
      stats,
    );
    const p = out.output.data;
    // The model's own output buffer, fed back as is.
    state = out.stateN.data;
    for (let b = 0; b < batch; b++) {
      const seg = group[b];
      const frame = seg.first + step;
      if (frame >= seg.keepFrom && frame < seg.end) values[offsets[b] + frame - seg.keepFrom] = p[b];
    }
  }
  return { values, ...stats };
}

/**
 * A 1 s-window model over windows `first` … `first + count - 1` (window i starts at sample
 * i × `hop`), at most `maxBatch` per call; each window's `outputWidth` values, in order. The part
 * of a window past the end of the audio is silence.
 */
export async function windows(model, samples, plan) {
  const { first, count, hop, width, maxBatch, output, outputWidth, label } = plan;
  const values = new Float32Array(count * outputWidth);
  const stats = { items: [], ms: [] };
  // One input buffer per batch size (the last batch may be smaller), reused as in sileroGroup.
  let input = new Float32Array(0);
  for (let at = 0; at < count; at += maxBatch) {
    const batch = Math.min(maxBatch, count - at);
    if (input.length !== batch * width) input = new Float32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const from = (first + at + b) * hop;
      // Past the end of the audio: silence.
      if (from + width > samples.length) input.fill(0, b * width, (b + 1) * width);
      copyPcm(input, b * width, samples, from, from + width);
    }
    const out = await timed(model, { audio: new model.Tensor('float32', input, [batch, width]) }, batch, stats);
    const p = out[output];
    if (!p || p.dims[0] !== batch || p.dims[1] !== outputWidth) {
      throw new Error(`${label}: expected output ${output} [${batch}, ${outputWidth}], got ${p ? `[${p.dims.join(', ')}]` : 'none'}`);
    }
    values.set(p.data.subarray(0, batch * outputWidth), at * outputWidth);
  }
  return { values, ...stats };
}

export const KERNELS = { silero: sileroGroup, windows };

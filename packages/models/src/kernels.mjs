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
  // The outputs whose taps all lie inside `src` run in a loop of their own, without the edge
  // test: 30 % less time than one loop testing every output (7.4 ms against 10.6 ms for a
  // 5-minute episode here; this runs over every episode).
  const inFrom = Math.min(outputs, Math.max(0, Math.ceil((3 - from) / 2)));
  const inTo = Math.max(inFrom, Math.min(outputs, Math.floor((last - 3 - from) / 2) + 1));
  for (let i = 0; i < inFrom; i++) dst[at + i] = halfBandAtEdge(src, from + 2 * i, last, scale);
  for (let i = inFrom, c = from + 2 * inFrom; i < inTo; i++, c += 2) {
    dst[at + i] = (16 * src[c] + 9 * (src[c - 1] + src[c + 1]) - (src[c - 3] + src[c + 3])) * scale;
  }
  for (let i = inTo; i < outputs; i++) dst[at + i] = halfBandAtEdge(src, from + 2 * i, last, scale);
}

/** The half-band filter at `c`, taps past either end of `src` read as the edge sample. */
function halfBandAtEdge(src, c, last, scale) {
  const x = (k) => src[Math.max(0, Math.min(k, last))];
  return (16 * x(c) + 9 * (x(c - 1) + x(c + 1)) - (x(c - 3) + x(c + 3))) * scale;
}

/** Samples of the 16 kHz PCM per Silero frame (32 ms), whatever rate the model runs at. */
export const VAD_FRAME_SAMPLES = 512;
const STATE_SIZE = 2 * 128;
/** Silero's two modes: samples per 32 ms frame and the context carried from the previous one. */
const SILERO_MODES = { 16000: { frame: 512, context: 64 }, 8000: { frame: 256, context: 32 } };

/** Runs one inference call, noting its items and milliseconds in `stats`. */
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
 * A windowed model over windows `first` … `first + count - 1` of `width` samples (window i
 * starts at sample i × `hop`), at most `maxBatch` per call; each window's `outputWidth` values,
 * in order. The part of a window past the end of the audio is silence.
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
    // A window's output is its `outputWidth` values, in whatever shape the model gives them.
    if (!p || p.dims[0] !== batch || p.data.length !== batch * outputWidth) {
      throw new Error(`${label}: expected output ${output} [${batch}, ${outputWidth}], got ${p ? `[${p.dims.join(', ')}]` : 'none'}`);
    }
    values.set(p.data.subarray(0, batch * outputWidth), at * outputWidth);
  }
  return { values, ...stats };
}

/**
 * A front end (a `spectra` model: rows of one second plus one hop in, each row's frames of the
 * episode's 20 ms grid out) and the models that read it, over the windows that start in rows
 * `firstRow` … `firstRow + rows - 1`. The grid is computed a block of `maxBatch` rows at a time,
 * plus the row after the block, which the block's last windows reach into and which the next
 * block starts with: each frame is computed once however many windows and models read it.
 * `modelOf` gives the model of each head's key. Returns the heads' values, head after head, and
 * each head's windows and calls (`parts`).
 */
export async function spectral(front, samples, plan, modelOf) {
  const { firstRow, rows, rowSamples, rowStep, framesPerRow, width, windowFrames, maxBatch, heads } = plan;
  const rowValues = framesPerRow * width;
  const stop = firstRow + rows;
  const grid = new Float32Array((maxBatch + 1) * rowValues);
  const input = new Float32Array((maxBatch + 1) * rowSamples);
  const stats = { items: [], ms: [] };
  const parts = heads.map((h) => {
    const first = Math.min(h.windows, Math.ceil((firstRow * framesPerRow) / h.hopFrames));
    const end = Math.min(h.windows, Math.ceil((stop * framesPerRow) / h.hopFrames));
    return { first, count: end - first, items: [], ms: [], values: new Float32Array((end - first) * h.outputWidth) };
  });
  const models = heads.map((h) => modelOf(h.key));
  const headInputs = heads.map((h) => new Float32Array(h.maxBatch * windowFrames * width));
  let base = firstRow;
  let have = 0;
  for (let r = firstRow; r < stop; r += maxBatch) {
    const end = Math.min(r + maxBatch, stop);
    if (have > 0) {
      // The row after the last block is this block's first.
      grid.copyWithin(0, (r - base) * rowValues, (r - base + 1) * rowValues);
      have = 1;
    }
    base = r;
    const need = end + 1 - r;
    const n = need - have;
    for (let b = 0; b < n; b++) {
      const from = (r + have + b) * rowStep;
      if (from + rowSamples > samples.length) input.fill(0, b * rowSamples, (b + 1) * rowSamples);
      copyPcm(input, b * rowSamples, samples, from, from + rowSamples);
    }
    const out = await timed(front, { audio: new front.Tensor('float32', input.subarray(0, n * rowSamples), [n, rowSamples]) }, n, stats);
    const spectra = out.spectra;
    if (!spectra || spectra.dims[0] !== n || spectra.dims[1] !== framesPerRow || spectra.dims[2] !== width) {
      throw new Error(`${plan.label}: expected output spectra [${n}, ${framesPerRow}, ${width}], got ${spectra ? `[${spectra.dims.join(', ')}]` : 'none'}`);
    }
    grid.set(spectra.data.subarray(0, n * rowValues), have * rowValues);
    have = need;
    for (const [h, head] of heads.entries()) {
      const part = parts[h];
      const from = Math.max(part.first, Math.ceil((r * framesPerRow) / head.hopFrames));
      const to = Math.min(part.first + part.count, Math.ceil((end * framesPerRow) / head.hopFrames));
      for (let at = from; at < to; at += head.maxBatch) {
        const batch = Math.min(head.maxBatch, to - at);
        const x = headInputs[h];
        for (let b = 0; b < batch; b++) {
          const frame = (at + b) * head.hopFrames - base * framesPerRow;
          x.set(grid.subarray(frame * width, (frame + windowFrames) * width), b * windowFrames * width);
        }
        const res = await timed(
          models[h],
          { spectra: new front.Tensor('float32', x.subarray(0, batch * windowFrames * width), [batch, windowFrames, width]) },
          batch,
          part,
        );
        const p = res[head.output];
        if (!p || p.dims[0] !== batch || p.dims[1] !== head.outputWidth) {
          throw new Error(`${head.label}: expected output ${head.output} [${batch}, ${head.outputWidth}], got ${p ? `[${p.dims.join(', ')}]` : 'none'}`);
        }
        part.values.set(p.data.subarray(0, batch * head.outputWidth), (at - part.first) * head.outputWidth);
      }
    }
  }
  const values = new Float32Array(parts.reduce((a, p) => a + p.values.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p.values, at);
    at += p.values.length;
  }
  return { values, ...stats, parts: parts.map(({ first, count, items, ms }) => ({ first, count, items, ms })) };
}

export const KERNELS = { silero: sileroGroup, windows, spectral };

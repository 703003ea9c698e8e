/**
 * Mono Float32 PCM at one sample rate. Every helper here works in samples, so labels computed
 * from sample counts are exact rather than estimated.
 */

/** espeak-ng renders at 22.05 kHz natively; using it throughout avoids resampling most speech. */
export const SAMPLE_RATE = 22_050;
/** Frame size for activity detection: 5 ms is fine enough for millisecond-level cue times. */
export const FRAME = Math.round(SAMPLE_RATE * 0.005);
/** Frame RMS above this (about -50 dBFS) counts as audible; synthesized silence is near-zero. */
export const ACTIVITY_THRESHOLD = 0.003;
/** -1 dBFS, headroom for lossy-codec overshoot. */
export const PEAK_LIMIT = 0.89;

export const toMs = (samples: number): number => Math.round((samples * 1000) / SAMPLE_RATE);
export const toSec = (samples: number): number => toMs(samples) / 1000;
export const toSamples = (seconds: number): number => Math.round(seconds * SAMPLE_RATE);

export function frameRms(pcm: Float32Array, start: number): number {
  const end = Math.min(pcm.length, start + FRAME);
  let sum = 0;
  for (let i = start; i < end; i++) sum += (pcm[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, end - start));
}

/** First and last audible sample (frame resolution), or null if the span is silent. */
export function audibleSpan(pcm: Float32Array, from = 0, to = pcm.length): { start: number; end: number } | null {
  let start = -1;
  let end = -1;
  for (let f = from; f < to; f += FRAME) {
    if (frameRms(pcm, f) > ACTIVITY_THRESHOLD) {
      if (start < 0) start = f;
      end = Math.min(to, f + FRAME);
    }
  }
  return start < 0 ? null : { start, end };
}

/** Scales to a target RMS over audible frames (so pauses don't skew it), capped by the peak. */
export function normalize(pcm: Float32Array, targetRms: number): Float32Array {
  let sum = 0;
  let n = 0;
  let peak = 0;
  for (let f = 0; f < pcm.length; f += FRAME) {
    const rms = frameRms(pcm, f);
    if (rms > ACTIVITY_THRESHOLD) {
      sum += rms * rms;
      n++;
    }
  }
  for (const s of pcm) peak = Math.max(peak, Math.abs(s));
  if (n === 0 || peak === 0) return pcm;
  const gain = Math.min(targetRms / Math.sqrt(sum / n), PEAK_LIMIT / peak);
  return pcm.map((s) => s * gain);
}

/** Linear fade-out over the last `seconds`, so cut music ends cleanly instead of clicking. */
export function fadeOut(pcm: Float32Array, seconds: number): Float32Array {
  const n = Math.min(pcm.length, toSamples(seconds));
  const out = pcm.slice();
  for (let i = 0; i < n; i++) {
    const idx = pcm.length - n + i;
    out[idx] = (out[idx] ?? 0) * (1 - (i + 1) / n);
  }
  return out;
}

/** Linear fade-in over the first `seconds`. */
export function fadeIn(pcm: Float32Array, seconds: number): Float32Array {
  const n = Math.min(pcm.length, toSamples(seconds));
  const out = pcm.slice();
  for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) * ((i + 1) / n);
  return out;
}

export function silence(seconds: number): Float32Array {
  return new Float32Array(toSamples(seconds));
}

export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Adds `src * gain` into `dst` starting at sample `at` (in place); whatever falls outside is dropped. */
export function mixInto(dst: Float32Array, src: Float32Array, at: number, gain = 1): void {
  const from = Math.max(0, -at);
  const to = Math.min(src.length, dst.length - at);
  for (let i = from; i < to; i++) dst[at + i] = (dst[at + i] ?? 0) + (src[i] ?? 0) * gain;
}

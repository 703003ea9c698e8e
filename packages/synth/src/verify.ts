import { decodeMono, probeAudio } from './encode.ts';
import { audibleSpan, SAMPLE_RATE, toMs, toSec } from './pcm.ts';

export interface Span {
  startSec: number;
  endSec: number;
}

export interface Verification {
  probedSec: number;
  decodedSec: number;
  codec: string;
  /** Worst disagreement between labelled sentence edges and the decoded audio, in ms. */
  maxEdgeErrorMs: number;
  /** Median signed disagreement: a codec delay left in the file shows up here. */
  medianEdgeErrorMs: number;
}

export interface VerifyLimits {
  /** Largest allowed error at any one edge. @defaultValue 30 */
  maxErrorMs?: number;
  /** Largest allowed |median| error over all edges. @defaultValue 10 */
  maxMedianErrorMs?: number;
}

/**
 * Decodes an encoded file and checks that labelled speech edges line up with the real audio.
 * Each span given must be surrounded by at least 0.25 s of digital silence (no bed under it):
 * within +-0.25 s of each labelled edge the only audible material is then that span.
 */
export function verifyEncoded(file: string, spans: readonly Span[], limits: VerifyLimits = {}): Verification {
  const { maxErrorMs = 30, maxMedianErrorMs = 10 } = limits;
  const { durationSec: probedSec, codec } = probeAudio(file);
  const pcm = decodeMono(file);
  const window = Math.round(0.25 * SAMPLE_RATE);
  const errors: number[] = [];
  let maxEdgeErrorMs = 0;
  let worst: Span | undefined;
  for (const s of spans) {
    const start = Math.round(s.startSec * SAMPLE_RATE);
    const end = Math.round(s.endSec * SAMPLE_RATE);
    const head = audibleSpan(pcm, Math.max(0, start - window), start + window);
    const tail = audibleSpan(pcm, end - window, Math.min(pcm.length, end + window));
    if (!head || !tail) throw new Error(`${file}: no audio found around ${s.startSec}-${s.endSec} s`);
    errors.push(toMs(head.start - start), toMs(tail.end - end));
    const errorMs = Math.max(Math.abs(toMs(head.start - start)), Math.abs(toMs(tail.end - end)));
    if (errorMs > maxEdgeErrorMs) [maxEdgeErrorMs, worst] = [errorMs, s];
  }
  const sorted = errors.sort((a, b) => a - b);
  const medianEdgeErrorMs = sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
  if (maxEdgeErrorMs > maxErrorMs) {
    throw new Error(`${file}: labels are off by up to ${maxEdgeErrorMs} ms from the audio (span ${worst?.startSec}-${worst?.endSec} s)`);
  }
  if (Math.abs(medianEdgeErrorMs) > maxMedianErrorMs) throw new Error(`${file}: labels are shifted by ${medianEdgeErrorMs} ms (median) from the audio`);
  return { probedSec, decodedSec: toSec(pcm.length), codec, maxEdgeErrorMs, medianEdgeErrorMs };
}

import type { Pcm } from '../pcm.ts';

/** One recognised word on the episode's timeline. */
export interface AsrWord {
  word: string;
  startSec: number;
  endSec: number;
  /** The engine's posterior for the word, 0..1. */
  confidence: number;
}

export interface AsrResult {
  words: AsrWord[];
  audioSec: number;
  /** Wall time of the whole transcription (all chunks, in parallel). */
  elapsedMs: number;
  /** Engine time summed over chunks: what it costs in core-seconds. */
  engineMs: number;
}

/**
 * Speech-to-text behind one interface, so a GPU fleet can swap in a stronger engine (a
 * Whisper-class ONNX model) without touching what consumes the words.
 */
export interface SpeechToText {
  readonly id: string;
  /** 16 kHz mono PCM in, words with times out. */
  transcribe(pcm: Pcm, options?: { signal?: AbortSignal }): Promise<AsrResult>;
}

export interface AsrSentence {
  startSec: number;
  endSec: number;
  text: string;
}

/**
 * ASR gives words without punctuation: cut them into sentence-like pieces at pauses (a gap of
 * `pauseSec` or more between words) and at `maxWords`, so the sentence classifiers and
 * selection's sentence starts can use them.
 */
export function wordsToSentences(words: AsrWord[], o: { pauseSec?: number; maxWords?: number; minConfidence?: number } = {}): AsrSentence[] {
  const pause = o.pauseSec ?? 0.45;
  const maxWords = o.maxWords ?? 30;
  const kept = words.filter((w) => w.confidence >= (o.minConfidence ?? 0));
  const out: AsrSentence[] = [];
  let current: AsrWord[] = [];
  const flush = () => {
    if (current.length > 0) out.push({ startSec: current[0]!.startSec, endSec: current.at(-1)!.endSec, text: current.map((w) => w.word).join(' ') });
    current = [];
  };
  for (const w of kept) {
    const last = current.at(-1);
    if (last && (w.startSec - last.endSec >= pause || current.length >= maxWords)) flush();
    current.push(w);
  }
  flush();
  return out;
}

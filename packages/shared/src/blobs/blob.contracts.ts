import { z } from 'zod';
import { SelectionPath } from '../contracts.ts';

/**
 * Contracts of the JSON blobs one stage writes and another reads, like the job payloads in
 * contracts.ts. Each carries a `version`, so a reader meeting a blob from a newer or older
 * writer fails at the boundary with a clear error instead of misreading it.
 */

/** One transcript cue: text shown from `startSec` to `endSec`. */
export const Cue = z.object({ startSec: z.number().nonnegative(), endSec: z.number().nonnegative(), text: z.string() });
export type Cue = z.infer<typeof Cue>;

/** Written by preprocess (the parsed WebVTT/SRT), read by ensemble-b. */
export const TranscriptBlob = z.object({ version: z.literal(1), cues: z.array(Cue) });
export type TranscriptBlob = z.infer<typeof TranscriptBlob>;

export const ScoredSentence = z.object({
  /** Where the transcript places the sentence; selection snaps it to the speech onset nearby. */
  startSec: z.number().nonnegative(),
  endSec: z.number().nonnegative(),
  text: z.string(),
  /** Per-label scores from the text models (`ad`, `intro`, `outro`, `centrality`…), 0..1. */
  scores: z.record(z.string(), z.number()),
});
export type ScoredSentence = z.infer<typeof ScoredSentence>;

/** Written by ensemble-b (from the transcript, or from speech-to-text without one), read by selection. */
export const SentencesBlob = z.object({
  version: z.literal(1),
  /** `asr`: sentence-like pieces of recognised words cut at pauses, no punctuation. Absent: the transcript. */
  source: z.enum(['transcript', 'asr']).optional(),
  sentences: z.array(ScoredSentence),
});
export type SentencesBlob = z.infer<typeof SentencesBlob>;

export const WindowChoice = z.object({
  startSec: z.number().nonnegative(),
  endSec: z.number().nonnegative(),
  score: z.number(),
  /** Share of VAD frames inside the window classified as speech. */
  speechFraction: z.number().min(0).max(1),
  /** Each model's weighted share of the chosen window's score (for the explanation view). */
  contributions: z.record(z.string(), z.number()),
  candidatesScored: z.number().int().nonnegative(),
});
export type WindowChoice = z.infer<typeof WindowChoice>;

/** Written by selection: the decision and the evidence behind it, for the episode explanation. */
export const SelectionBlob = z.object({
  version: z.literal(1),
  path: SelectionPath,
  choice: WindowChoice,
  weights: z.record(z.string(), z.number()),
  /** Per-second evidence by name (speech, music, ad…), rounded. */
  timelinePerSec: z.record(z.string(), z.array(z.number())),
});
export type SelectionBlob = z.infer<typeof SelectionBlob>;

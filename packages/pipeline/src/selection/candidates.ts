import type { ScoredSentence, SelectionPath } from '@podpreview/shared';
import { snapToOnsets, speechOnsets } from './onsets.ts';
import { P } from './params.ts';

export interface Candidates {
  path: SelectionPath;
  /** Times a preview may start at: sentence starts, or speech onsets without a transcript. */
  startsSec: number[];
  /** The transcript's sentences, their starts moved onto where the speech resumes; empty without one. */
  sentences: ScoredSentence[];
}

/**
 * Where a preview may start. With a transcript: each sentence start, snapped to the speech onset
 * nearby (cue times are coarse; pauses between sentences are short, so onsets count after less
 * quiet). Without one: every speech onset after a pause.
 */
export function candidateStarts(vad: { frameSec: number; speech: Float32Array }, sentences: ScoredSentence[] | undefined): Candidates {
  if (!sentences) return { path: 'audio-only', startsSec: speechOnsets(vad.speech, vad.frameSec), sentences: [] };
  const onsets = speechOnsets(vad.speech, vad.frameSec, P.transcriptOnsetGapSec);
  const starts = snapToOnsets(
    sentences.map((s) => s.startSec),
    onsets,
  );
  const snapped = sentences.map((s, i) => ({ ...s, startSec: Math.min(starts[i]!, s.endSec) }));
  return { path: 'transcript', startsSec: snapped.map((s) => s.startSec), sentences: snapped };
}

import { splitSentences, SENTENCE_MODEL, type Cue, type Sentence } from '@podpreview/audio';
import type { BlobStore, EnsembleBInput, SelectionInput } from '@podpreview/shared';
import { bytesToFloat32, fromJsonBytes, runKeys, toJsonBytes } from '../keys.ts';
import type { StageOutcome } from '../runtime/outcome.ts';
import { speechOnsets } from '../selection/score.ts';

export interface Candidates {
  path: 'transcript' | 'audio-only';
  /** Times a preview may start at: sentence starts, or speech onsets without a transcript. */
  startsSec: number[];
  sentences: Sentence[];
}

export interface EnsembleBDeps {
  blobs: BlobStore;
}

/** Text models: sentences with start times; without a transcript, speech onsets stand in. */
export function createEnsembleBStage(deps: EnsembleBDeps) {
  return async (input: EnsembleBInput): Promise<StageOutcome> => {
    const keys = runKeys(input.episodeId, input.runId);
    let candidates: Candidates;
    if (input.transcriptKey) {
      const cues = fromJsonBytes<Cue[]>(await deps.blobs.get(input.transcriptKey));
      const sentences = splitSentences(cues);
      candidates = { path: 'transcript', startsSec: sentences.map((s) => s.startSec), sentences };
    } else {
      const probs = bytesToFloat32(await deps.blobs.get(input.vadKey));
      candidates = { path: 'audio-only', startsSec: speechOnsets(probs, input.vadFrameSec), sentences: [] };
    }
    await deps.blobs.put(keys.candidates, toJsonBytes(candidates));
    const models = input.transcriptKey ? [...input.models, { ...SENTENCE_MODEL }] : input.models;
    const payload: SelectionInput = { ...input, models, candidatesKey: keys.candidates, path: candidates.path };
    return { kind: 'next', payload };
  };
}

import type { BlobStore, SelectionInput, SinkInput } from '@podpreview/shared';
import { bytesToFloat32, fromJsonBytes, runKeys, toJsonBytes } from '../keys.ts';
import type { StageOutcome } from '../runtime/outcome.ts';
import { chooseWindow, perSecondSpeech } from '../selection/score.ts';
import type { Candidates } from './ensemble-b.stage.ts';

export interface SelectionDeps {
  blobs: BlobStore;
  previewSec: number;
}

/** Scores every candidate window and stores the decision with the timeline it used. */
export function createSelectionStage(deps: SelectionDeps) {
  return async (input: SelectionInput): Promise<StageOutcome> => {
    const keys = runKeys(input.episodeId, input.runId);
    const probs = bytesToFloat32(await deps.blobs.get(input.vadKey));
    const candidates = fromJsonBytes<Candidates>(await deps.blobs.get(input.candidatesKey));
    const choice = chooseWindow(probs, input.vadFrameSec, candidates.startsSec, input.durationSec, deps.previewSec);
    await deps.blobs.put(keys.selection, toJsonBytes({ choice, path: candidates.path, timelinePerSec: perSecondSpeech(probs, input.vadFrameSec) }));
    const payload: SinkInput = {
      ...input,
      selectionKey: keys.selection,
      previewStartSec: choice.startSec,
      previewEndSec: choice.endSec,
      speechFraction: choice.speechFraction,
      score: choice.score,
    };
    return { kind: 'next', payload };
  };
}

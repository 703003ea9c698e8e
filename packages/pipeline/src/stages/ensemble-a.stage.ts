import type { BlobStore, EnsembleAInput, EnsembleBInput } from '@podpreview/shared';
import { runSileroVad, type ModelSession } from '@podpreview/models';
import { bytesToFloat32, float32ToBytes, runKeys } from '../keys.ts';
import type { StageOutcome } from '../runtime/outcome.ts';

export interface EnsembleADeps {
  blobs: BlobStore;
  /** Resolves the shared VAD session (loaded once per process). */
  vad: () => Promise<ModelSession>;
}

/** Audio models: today the Silero voice-activity track, one probability per 32 ms frame. */
export function createEnsembleAStage(deps: EnsembleADeps) {
  return async (input: EnsembleAInput): Promise<StageOutcome> => {
    const keys = runKeys(input.episodeId, input.runId);
    const samples = bytesToFloat32(await deps.blobs.get(input.pcmKey));
    const session = await deps.vad();
    const vad = await runSileroVad(session, samples, session.entry.batching);
    await deps.blobs.put(keys.vad, float32ToBytes(vad.probs));
    const payload: EnsembleBInput = {
      ...input,
      vadKey: keys.vad,
      vadFrameSec: vad.frameSec,
      models: [{ id: session.entry.id, version: session.entry.version }],
    };
    return { kind: 'next', payload };
  };
}

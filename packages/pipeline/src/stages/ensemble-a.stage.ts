import { type ModelLease, UsageMeter } from '@podpreview/models';
import { type BlobStore, bytesToInt16, type EnsembleAInput, runBlobKeys, type TrackRef } from '@podpreview/shared';
import type { StageOutcome } from '../runtime/outcome.ts';
import { putTrack } from '../tracks.ts';
import { AUDIO_RUNNERS } from './audio-models.ts';

export interface EnsembleADeps {
  blobs: BlobStore;
  /** This stage's models for one job (the current manifest generation). */
  models: () => Promise<ModelLease>;
}

/** Audio models: every stage-A model in the manifest, each storing one feature track. */
export function createEnsembleAStage(deps: EnsembleADeps) {
  return async (input: EnsembleAInput): Promise<StageOutcome<'ensemble-a'>> => {
    const keys = runBlobKeys(input.episodeId, input.runId);
    // Read into shared memory: every model thread reads it in place.
    const samples = bytesToInt16(await deps.blobs.getShared(input.pcmKey));
    const lease = await deps.models();
    const meter = new UsageMeter();
    try {
      // The models run side by side: each has its own threads (PODPREVIEW_MODEL_THREADS).
      const stored = await Promise.all(
        lease.entries.map(async (entry) => {
          const runner = AUDIO_RUNNERS[entry.kind];
          if (!runner) throw new Error(`no stage-A runner for model kind ${entry.kind} (${entry.id})`);
          const track = await runner.run(meter.wrap(lease.get(entry.id)), entry, samples, { urgent: input.priority });
          return [runner.track, await putTrack(deps.blobs, keys.track(runner.track), track)] as const;
        }),
      );
      const tracks: Record<string, TrackRef> = Object.fromEntries(stored);
      return { kind: 'next', payload: { ...input, tracks, models: lease.refs(), modelStats: meter.snapshot() } };
    } finally {
      lease.release();
    }
  };
}

import { type ModelLease, UsageMeter } from '@podpreview/models';
import { type BlobStore, bytesToInt16, type EnsembleAInput, runBlobKeys, type TrackRef } from '@podpreview/shared';
import type { StageOutcome } from '../runtime/outcome.ts';
import { putTrack } from '../tracks.ts';
import { AUDIO_RUNNERS, runFrontEnd } from './audio-models.ts';

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
    // Stored unsynced by preprocess: an OS crash since may have left it short.
    const expected = Math.round(input.durationSec * input.sampleRateHz);
    if (samples.length !== expected) throw new Error(`the decoded audio ${input.pcmKey} holds ${samples.length} samples, not ${expected}: damaged in storage`);
    const lease = await deps.models();
    const meter = new UsageMeter();
    try {
      const session = (id: string) => meter.wrap(lease.get(id));
      const store = async (track: string, data: Parameters<typeof putTrack>[2]) => [track, await putTrack(deps.blobs, keys.track(track), data)] as const;
      // The models run side by side on the model threads (PODPREVIEW_MODEL_THREADS): those that
      // read the audio themselves each on their own, each front end with the models that read it.
      const alone = lease.entries.filter((e) => e.kind !== 'spectra' && !e.frontEnd);
      const fronts = lease.entries.filter((e) => e.kind === 'spectra');
      const stored = await Promise.all([
        ...alone.map(async (entry) => {
          const runner = AUDIO_RUNNERS[entry.kind];
          if (!runner) throw new Error(`no stage-A runner for model kind ${entry.kind} (${entry.id})`);
          return [await store(runner.track, await runner.run(session(entry.id), entry, samples, { urgent: input.priority }))];
        }),
        ...fronts.map(async (front) => {
          const heads = lease.entries.filter((e) => e.frontEnd === front.id).map((entry) => ({ entry, session: session(entry.id) }));
          if (heads.length === 0) return [];
          const out = await runFrontEnd(session(front.id), heads, samples, { urgent: input.priority });
          return Promise.all(out.map((t) => store(t.track, t.data)));
        }),
      ]);
      const tracks: Record<string, TrackRef> = Object.fromEntries(stored.flat());
      return { kind: 'next', payload: { ...input, tracks, models: lease.refs(), modelStats: meter.snapshot() } };
    } finally {
      lease.release();
    }
  };
}

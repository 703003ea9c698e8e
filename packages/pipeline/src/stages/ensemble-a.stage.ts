import { type ModelLease, type ModelSession, type Pcm, type PcmStream, UsageMeter } from '@podpreview/models';
import { type BlobStore, bytesToInt16, type EnsembleAInput, runBlobKeys, type TrackRef } from '@podpreview/shared';
import type { StageOutcome } from '../runtime/outcome.ts';
import { putTrack } from '../tracks.ts';
import { AUDIO_RUNNERS, runFrontEnd } from './audio-models.ts';
import { type EarlyFrontEnds, type EarlyStageA, giveBack } from './stage-a.early.ts';

export interface EnsembleADeps {
  blobs: BlobStore;
  /** This stage's models for one job (the current manifest generation). */
  models: () => Promise<ModelLease>;
  /** What this process started of stage A while it decoded the episode (it runs preprocess too). */
  early?: EarlyStageA;
}

/** Audio models: every stage-A model in the manifest, each storing one feature track. */
export function createEnsembleAStage(deps: EnsembleADeps) {
  return async (input: EnsembleAInput): Promise<StageOutcome<'ensemble-a'>> => {
    const keys = runBlobKeys(input.episodeId, input.runId);
    const early = deps.early?.take(input.pcmKey);
    // Read into shared memory, where every model thread reads it in place; or still there from
    // this process's decode, with the front ends' tracks made while it decoded.
    const samples = early ? early.stream.view() : bytesToInt16(await deps.blobs.getShared(input.pcmKey));
    // Stored unsynced by preprocess: an OS crash since may have left it short.
    const expected = Math.round(input.durationSec * input.sampleRateHz);
    if (samples.length !== expected) {
      if (early) giveBack(early.work);
      throw new Error(`the decoded audio ${input.pcmKey} holds ${samples.length} samples, not ${expected}: damaged in storage`);
    }
    // An early pass that failed is run again here: its error, if it is the models', is this job's.
    const started = early ? await early.work.catch(() => undefined) : undefined;
    const lease = started?.lease ?? (await deps.models());
    const meter = started?.meter ?? new UsageMeter();
    try {
      const session = (id: string) => meter.wrap(lease.get(id));
      const store = async (track: string, data: Parameters<typeof putTrack>[2]) => [track, await putTrack(deps.blobs, keys.track(track), data)] as const;
      // The models run side by side on the model threads (PODPREVIEW_MODEL_THREADS): those that
      // read the audio themselves each on their own, each front end with the models that read it.
      const alone = lease.entries.filter((e) => e.kind !== 'spectra' && !e.frontEnd);
      const stored = await Promise.all([
        ...alone.map(async (entry) => {
          const runner = AUDIO_RUNNERS[entry.kind];
          if (!runner) throw new Error(`no stage-A runner for model kind ${entry.kind} (${entry.id})`);
          return [await store(runner.track, await runner.run(session(entry.id), entry, samples, { urgent: input.priority }))];
        }),
        (async () => {
          const tracks = started?.tracks ?? (await runFrontEnds(lease, session, samples, { urgent: input.priority }));
          return Promise.all(tracks.map((t) => store(t.track, t.data)));
        })(),
      ]);
      const tracks: Record<string, TrackRef> = Object.fromEntries(stored.flat());
      return { kind: 'next', payload: { ...input, tracks, models: lease.refs(), modelStats: meter.snapshot() } };
    } finally {
      lease.release();
    }
  };
}

/** Every front end of the lease with the models that read it, each one pass over the audio. */
async function runFrontEnds(lease: ModelLease, session: (id: string) => ModelSession, audio: Pcm | PcmStream, o: { urgent: boolean; signal?: AbortSignal }) {
  const fronts = lease.entries.filter((e) => e.kind === 'spectra');
  const out = await Promise.all(
    fronts.map((front) => {
      const heads = lease.entries.filter((e) => e.frontEnd === front.id).map((entry) => ({ entry, session: session(entry.id) }));
      return heads.length === 0 ? [] : runFrontEnd(session(front.id), heads, audio, o);
    }),
  );
  return out.flat();
}

/**
 * Stage A's front ends over an episode still being decoded in this process (EarlyStageA's
 * start): the lease they run on, and its meter, go on to the episode's stage-A job.
 */
export function frontEndsWhileDecoding(models: () => Promise<ModelLease>): EarlyFrontEnds {
  return async (stream, o) => {
    const lease = await models();
    try {
      const meter = new UsageMeter();
      const tracks = await runFrontEnds(lease, (id) => meter.wrap(lease.get(id)), stream, o);
      return { lease, meter, tracks };
    } catch (err) {
      lease.release();
      throw err;
    }
  };
}

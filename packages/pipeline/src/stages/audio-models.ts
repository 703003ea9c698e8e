import { runSileroVad, type ModelEntry, type ModelSession } from '@podpreview/models';
import type { Track } from '../tracks.ts';

/** Track name under which each kind of audio model stores its output. */
export type AudioRunner = (session: ModelSession, entry: ModelEntry, samples: Float32Array) => Promise<Omit<Track, 'frames'>>;

/**
 * Stage A's runners, by model kind: the manifest says which models a stage has, and this
 * table says how to drive each kind. A model of a kind not listed here fails the worker's start.
 */
export const AUDIO_RUNNERS: Partial<Record<ModelEntry['kind'], { track: string; run: AudioRunner }>> = {
  vad: {
    track: 'vad',
    run: async (session, entry, samples) => {
      const r = await runSileroVad(session, samples, entry.batching);
      return { frameSec: r.frameSec, channels: ['speech'], data: r.probs };
    },
  },
};

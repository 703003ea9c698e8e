import { type ModelEntry, type ModelSession, type Pcm, runSileroVad, runSoundEvents, runVoiceEmbedding } from '@podpreview/models';
import type { Track } from '../tracks.ts';

/** Track name under which each kind of audio model stores its output. */
export type AudioRunner = (session: ModelSession, entry: ModelEntry, samples: Pcm, o?: { urgent?: boolean }) => Promise<Omit<Track, 'frames'>>;

/**
 * Stage A's runners, by model kind: the manifest says which models a stage has, and this
 * table says how to drive each kind. A model of a kind not listed here fails the worker's start.
 */
export const AUDIO_RUNNERS: Partial<Record<ModelEntry['kind'], { track: string; run: AudioRunner }>> = {
  vad: {
    track: 'vad',
    run: async (session, entry, samples, o = {}) => {
      const r = await runSileroVad(session, samples, {
        ...entry.batching,
        lanes: session.lanes,
        ...(entry.params?.sampleRateHz === 8000 ? { sampleRateHz: 8000 as const } : {}),
        urgent: o.urgent === true,
      });
      return { frameSec: r.frameSec, channels: ['speech'], data: r.probs };
    },
  },
  'sound-events': {
    track: 'sound-events',
    run: async (session, entry, samples, o = {}) => {
      const r = await runSoundEvents(session, samples, {
        maxBatch: entry.batching.maxBatch,
        lanes: session.lanes,
        hopSec: Number(entry.params?.hopSec ?? 0.5),
        urgent: o.urgent === true,
      });
      // 1 s windows every hop: each frame describes more audio than its hop.
      return { frameSec: r.frameSec, spanSec: Number(entry.params?.windowSec ?? 1), channels: [...r.classes], data: r.probs };
    },
  },
  'voice-embedding': {
    track: 'voice',
    run: async (session, entry, samples, o = {}) => {
      const dims = Number(entry.params?.embeddingDim ?? 32);
      const r = await runVoiceEmbedding(session, samples, {
        maxBatch: entry.batching.maxBatch,
        lanes: session.lanes,
        hopSec: Number(entry.params?.hopSec ?? 0.5),
        dims,
        urgent: o.urgent === true,
      });
      return {
        frameSec: r.frameSec,
        spanSec: Number(entry.params?.windowSec ?? 1),
        channels: Array.from({ length: dims }, (_, d) => `e${d}`),
        data: r.embeddings,
      };
    },
  },
};

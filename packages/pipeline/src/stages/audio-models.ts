import {
  type ModelEntry,
  type ModelSession,
  type Pcm,
  type PcmStream,
  runSileroVad,
  runSpectral,
  runSpectralStreamed,
  runWindowed,
  SOUND_EVENT_CLASSES,
  type WindowedOutput,
} from '@podpreview/models';
import type { Track } from '../tracks.ts';

type StoredTrack = Omit<Track, 'frames'>;
/** A track a stage-A model made, by the name it is stored under. */
export type NamedTrack = { track: string; data: StoredTrack };
/** Track name under which each kind of audio model stores its output. */
export type AudioRunner = (session: ModelSession, entry: ModelEntry, samples: Pcm, o?: { urgent?: boolean }) => Promise<StoredTrack>;

/**
 * A model over 1 s windows: what it outputs per window, and the track made of its windows. It
 * reads the audio itself, or the frames of the front end its entry names (`frontEnd`).
 */
export interface WindowedKind {
  track: string;
  hopSec(entry: ModelEntry): number;
  output(entry: ModelEntry): WindowedOutput;
  toTrack(entry: ModelEntry, frameSec: number, values: Float32Array): StoredTrack;
}

const hopOf = (fallback: number) => (entry: ModelEntry) => Number(entry.params?.hopSec ?? fallback);
const spanOf = (entry: ModelEntry) => Number(entry.params?.windowSec ?? 1);
const dimsOf = (entry: ModelEntry) => Number(entry.params?.embeddingDim ?? 32);

/** Stage A's windowed kinds. */
export const WINDOWED_KINDS: Partial<Record<ModelEntry['kind'], WindowedKind>> = {
  'sound-events': {
    track: 'sound-events',
    hopSec: hopOf(0.5),
    output: () => ({ name: 'probs', width: SOUND_EVENT_CLASSES.length }),
    // 1 s windows every hop: each frame describes more audio than its hop.
    toTrack: (entry, frameSec, values) => ({ frameSec, spanSec: spanOf(entry), channels: [...SOUND_EVENT_CLASSES], data: values }),
  },
  'voice-embedding': {
    track: 'voice',
    hopSec: hopOf(0.5),
    output: (entry) => ({ name: 'embedding', width: dimsOf(entry) }),
    toTrack: (entry, frameSec, values) => ({
      frameSec,
      spanSec: spanOf(entry),
      channels: Array.from({ length: dimsOf(entry) }, (_, d) => `e${d}`),
      data: values,
    }),
  },
};

/**
 * Stage A's runners for models that read the audio themselves, by model kind: the manifest says
 * which models a stage has, and this table (with WINDOWED_KINDS for models on a front end) says
 * how to drive each kind. A model of a kind not listed fails the worker's start.
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
  ...Object.fromEntries(
    Object.entries(WINDOWED_KINDS).map(([kind, w]) => [
      kind,
      {
        track: w.track,
        run: async (session: ModelSession, entry: ModelEntry, samples: Pcm, o: { urgent?: boolean } = {}) => {
          const r = await runWindowed(
            session,
            samples,
            { maxBatch: entry.batching.maxBatch, lanes: session.lanes, hopSec: w.hopSec(entry), urgent: o.urgent === true },
            w.output(entry),
          );
          return w.toTrack(entry, r.frameSec, r.values);
        },
      },
    ]),
  ),
};

/** A front end and the models that read it, as the stage runs them: one pass, one track per head. */
export async function runFrontEnd(
  front: ModelSession,
  heads: readonly { session: ModelSession; entry: ModelEntry }[],
  audio: Pcm | PcmStream,
  o: { urgent?: boolean; signal?: AbortSignal } = {},
): Promise<NamedTrack[]> {
  const kinds = heads.map(({ entry }) => {
    const kind = WINDOWED_KINDS[entry.kind];
    if (!kind) throw new Error(`no stage-A runner for a ${entry.kind} model on a front end (${entry.id})`);
    return kind;
  });
  const spectralHeads = heads.map(({ session, entry }, i) => ({ session, hopSec: kinds[i]!.hopSec(entry), output: kinds[i]!.output(entry) }));
  // Audio still being decoded, or all of it.
  const results =
    'until' in audio
      ? await runSpectralStreamed(front, spectralHeads, audio, { urgent: o.urgent === true, ...(o.signal ? { signal: o.signal } : {}) })
      : await runSpectral(front, spectralHeads, audio, { urgent: o.urgent === true });
  return results.map((r, i) => ({ track: kinds[i]!.track, data: kinds[i]!.toTrack(heads[i]!.entry, r.frameSec, r.values) }));
}

/** Whether stage A can run the model: a front end, a windowed model on one, or a kind with a runner. */
export function audioRunnable(entry: ModelEntry): boolean {
  if (entry.kind === 'spectra') return true;
  return entry.frontEnd ? WINDOWED_KINDS[entry.kind] !== undefined : AUDIO_RUNNERS[entry.kind] !== undefined;
}

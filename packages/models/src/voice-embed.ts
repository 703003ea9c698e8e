import type { Pcm } from './pcm.ts';
import type { ModelSession } from './session.ts';
import { runWindowed, type SoundEventOptions } from './sound-events.ts';

export interface VoiceEmbeddingResult {
  /** Step between frames: frame i describes [i * frameSec, i * frameSec + 1 s). */
  frameSec: number;
  dims: number;
  /** frames x dims, row-major, each row of unit length (zero-ish where nobody speaks). */
  embeddings: Float32Array;
  runs: number;
  batchSizes: number[];
}

/** voice-embed over a whole episode: one voice embedding per 1 s window every `hopSec`. */
export async function runVoiceEmbedding(session: ModelSession, samples: Pcm, options: SoundEventOptions & { dims: number }): Promise<VoiceEmbeddingResult> {
  const r = await runWindowed(session, samples, options, { name: 'embedding', width: options.dims });
  return { frameSec: r.frameSec, dims: options.dims, embeddings: r.values, runs: r.runs, batchSizes: r.batchSizes };
}

import { readFile } from 'node:fs/promises';
import { decodeAudio, parseTranscript } from '@podpreview/audio';
import {
  type BlobStore,
  int16ToBytes,
  type PreprocessInput,
  putJsonBlob,
  type ResultsSink,
  runBlobKeys,
  type TranscriptBlob,
  type VariantName,
} from '@podpreview/shared';
import type { fetchSource as FetchSource } from '@podpreview/storage';
import type { StageContext, StageOutcome } from '../runtime/outcome.ts';

export interface PreprocessDeps {
  blobs: BlobStore;
  results: ResultsSink;
  fetchSource: (uri: string, signal: AbortSignal) => ReturnType<typeof FetchSource>;
  /** Longer audio is refused (probed before decoding, so it never costs the memory). */
  maxDurationSec: number;
  /** Whose earlier successes count as this run's duplicate (REUSES_RESULTS_OF: never the fallback's for production). */
  dedupVariants?: readonly VariantName[];
}

/**
 * Brings the episode into our storage: decoded 16 kHz PCM for the models, the original file for
 * rendering the clip, the parsed transcript. A run whose decoded audio matches an earlier
 * successful run of the same episode ends here as a duplicate (unless forced).
 */
export function createPreprocessStage(deps: PreprocessDeps) {
  return async (input: PreprocessInput, { signal }: StageContext): Promise<StageOutcome<'preprocess'>> => {
    const keys = runBlobKeys(input.episodeId, input.runId);
    const source = await deps.fetchSource(input.audioUri, signal);
    let transcript: TranscriptBlob | undefined;
    try {
      const audio = await decodeAudio(source.localPath, input.audioUri, { signal, maxDurationSec: deps.maxDurationSec });
      if (!input.force) {
        const earlier = await deps.results.findSucceeded(input.episodeId, audio.contentHash, deps.dedupVariants);
        if (earlier) {
          return {
            kind: 'done',
            result: {
              status: 'deduplicated',
              contentHash: audio.contentHash,
              previewStartSec: earlier.previewStartSec,
              previewEndSec: earlier.previewEndSec,
              durationSec: audio.durationSec,
              speechFraction: earlier.speechFraction,
              score: earlier.score,
              path: earlier.path,
              clipKey: earlier.clipKey,
              models: earlier.models,
              modelStats: null,
            },
          };
        }
      }
      if (input.transcriptUri) {
        const t = await deps.fetchSource(input.transcriptUri, signal);
        try {
          transcript = { version: 1, cues: parseTranscript(await readFile(t.localPath, 'utf8'), input.transcriptUri) };
        } finally {
          await t.cleanup();
        }
        await putJsonBlob(deps.blobs, keys.transcript, transcript);
      }
      await deps.blobs.put(keys.pcm, int16ToBytes(audio.samples));
      await deps.blobs.putFile(keys.source, source.localPath);
      return {
        kind: 'next',
        payload: {
          v: 1,
          runId: input.runId,
          episodeId: input.episodeId,
          enqueuedAtMs: input.enqueuedAtMs,
          priority: input.priority,
          force: input.force,
          ...(input.transcribe ? { transcribe: true } : {}),
          sourceKey: keys.source,
          pcmKey: keys.pcm,
          ...(transcript ? { transcriptKey: keys.transcript } : {}),
          sampleRateHz: audio.sampleRateHz,
          durationSec: audio.durationSec,
          contentHash: audio.contentHash,
        },
      };
    } finally {
      await source.cleanup();
    }
  };
}

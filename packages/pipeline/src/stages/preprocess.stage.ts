import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { decodeAudioToFile, parseTranscript } from '@podpreview/audio';
import {
  type BlobStore,
  InputTooLargeError,
  type PreprocessInput,
  putJsonBlob,
  type ResultsSink,
  runBlobKeys,
  type TranscriptBlob,
  TranscriptError,
  type VariantName,
} from '@podpreview/shared';
import type { fetchSource as FetchSource } from '@podpreview/storage';
import type { StageContext, StageOutcome } from '../runtime/outcome.ts';
import type { EarlyStageA } from './stage-a.early.ts';

export interface PreprocessDeps {
  blobs: BlobStore;
  results: ResultsSink;
  /** `finalAttempt`: a web input's timeouts and 5xx are final on it; `maxBytes`: a smaller limit than the inputs' (transcripts). */
  fetchSource: (uri: string, o: { signal: AbortSignal; finalAttempt: boolean; maxBytes?: number }) => ReturnType<typeof FetchSource>;
  /** Longer audio is refused (probed before decoding, so it never costs the memory). */
  maxDurationSec: number;
  /** Attempts at a web input (PODPREVIEW_FETCH_ATTEMPTS): from this one on, a slow or failing host fails the run. */
  fetchAttempts: number;
  /** Larger transcripts, or with more cues, fail with bad_transcript before they are parsed further. */
  maxTranscriptBytes: number;
  maxTranscriptCues: number;
  /** Whose earlier successes count as this run's duplicate (REUSES_RESULTS_OF: never the fallback's for production). */
  dedupVariants?: readonly VariantName[];
  /** Scratch space (PODPREVIEW_TEMP_DIR): the decoded PCM goes through a file here on its way to storage. */
  tempDir: string;
  /** Stage A begun on the audio as it decodes, where this process runs stage A too. */
  early?: EarlyStageA;
}

/**
 * Brings the episode into our storage: decoded 16 kHz PCM for the models, the original file for
 * rendering the clip, the parsed transcript. A run whose decoded audio matches an earlier
 * successful run of the same episode ends here as a duplicate (unless forced), provided that
 * run's clip is still in the store (retention deletes old clips: the run then goes on).
 */
export function createPreprocessStage(deps: PreprocessDeps) {
  return async (input: PreprocessInput, { signal, attempt = 1 }: StageContext): Promise<StageOutcome<'preprocess'>> => {
    const keys = runBlobKeys(input.episodeId, input.runId);
    const finalAttempt = attempt >= deps.fetchAttempts;
    const source = await deps.fetchSource(input.audioUri, { signal, finalAttempt });
    let transcript: TranscriptBlob | undefined;
    await mkdir(deps.tempDir, { recursive: true });
    const scratch = await mkdtemp(path.join(deps.tempDir, 'preprocess-'));
    // Whether stage A will run (the episode is handed on): what was begun of it early is kept for it.
    let handedOn = false;
    const stream = deps.early?.begin(keys.pcm, { urgent: input.priority });
    try {
      // Decoded straight to a file, held here only for stage A begun early. A normal-priority
      // run's decode gives the CPU way to a priority run's.
      const pcmPath = path.join(scratch, 'audio.pcm');
      const audio = await decodeAudioToFile(source.localPath, pcmPath, input.audioUri, {
        signal,
        maxDurationSec: deps.maxDurationSec,
        yieldCpu: !input.priority,
        ...(stream ? { onPcm: (bytes: Uint8Array) => stream.append(bytes) } : {}),
      }).catch((err: unknown) => {
        stream?.fail(err);
        throw err;
      });
      stream?.end();
      if (!input.force) {
        const found = await deps.results.findSucceeded(input.episodeId, audio.contentHash, deps.dedupVariants);
        // Not its own row: a run redone after Redis lost its last second (a crash) may have written one already.
        const earlier = found && found.runId !== input.runId && (found.clipKey === null || (await deps.blobs.exists(found.clipKey))) ? found : undefined;
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
        const t = await deps.fetchSource(input.transcriptUri, { signal, finalAttempt, maxBytes: deps.maxTranscriptBytes }).catch((err: unknown) => {
          if (err instanceof InputTooLargeError)
            throw new TranscriptError(input.transcriptUri!, `larger than ${deps.maxTranscriptBytes} bytes (PODPREVIEW_MAX_TRANSCRIPT_BYTES)`);
          throw err;
        });
        try {
          const text = await readFile(t.localPath, 'utf8');
          transcript = { version: 1, cues: parseTranscript(text, input.transcriptUri, { maxCues: deps.maxTranscriptCues }) };
        } finally {
          await t.cleanup();
        }
        await putJsonBlob(deps.blobs, keys.transcript, transcript);
      }
      // The scratch PCM is ours: moved into the store (a rename on a local store), not copied,
      // and not synced (0.2 s for a 30-minute episode): stage A checks its length.
      await deps.blobs.moveFile(keys.pcm, pcmPath, { durable: false });
      await deps.blobs.putFile(keys.source, source.localPath);
      handedOn = true;
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
          ...(input.owner !== undefined ? { owner: input.owner } : {}),
          sourceKey: keys.source,
          pcmKey: keys.pcm,
          ...(transcript ? { transcriptKey: keys.transcript } : {}),
          sampleRateHz: audio.sampleRateHz,
          durationSec: audio.durationSec,
          contentHash: audio.contentHash,
        },
      };
    } finally {
      if (stream) deps.early?.settle(keys.pcm, stream, handedOn);
      await source.cleanup();
      await rm(scratch, { recursive: true, force: true });
    }
  };
}

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { type ClipOptions, renderClip } from '@podpreview/audio';
import { type BlobStore, runBlobKeys, type SinkInput } from '@podpreview/shared';
import type { StageContext, StageOutcome } from '../runtime/outcome.ts';

export interface SinkDeps {
  blobs: BlobStore;
  /** Scratch space for the clip and, from a remote store, the source copy (swept of what a killed worker left). */
  tempDir: string;
  clip: Pick<ClipOptions, 'bitrateKbps' | 'encoderQuality'>;
}

/** Renders the clip into storage; the runtime then writes the result row. */
export function createSinkStage(deps: SinkDeps) {
  return async (input: SinkInput, { signal }: StageContext): Promise<StageOutcome<'sink'>> => {
    const keys = runBlobKeys(input.episodeId, input.runId);
    await mkdir(deps.tempDir, { recursive: true });
    const dir = await mkdtemp(path.join(deps.tempDir, 'sink-'));
    try {
      // ffmpeg reads a local store's file where it lies; from anywhere else, a scratch copy.
      // (A missing one fails in getToFile, as not found in the store, not as bad input.)
      const local = deps.blobs.localPath?.(input.sourceKey);
      const source = local && (await deps.blobs.exists(input.sourceKey)) ? local : path.join(dir, 'source');
      if (source !== local) await deps.blobs.getToFile(input.sourceKey, source);
      const clip = path.join(dir, 'preview.mp3');
      await renderClip(source, clip, {
        startSec: input.previewStartSec,
        durationSec: input.previewEndSec - input.previewStartSec,
        ...deps.clip,
        signal,
        // A normal-priority run's clip gives the CPU way to a priority run's.
        yieldCpu: !input.priority,
      });
      await deps.blobs.moveFile(keys.clip, clip);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return {
      kind: 'done',
      result: {
        status: 'succeeded',
        contentHash: input.contentHash,
        previewStartSec: input.previewStartSec,
        previewEndSec: input.previewEndSec,
        durationSec: input.durationSec,
        speechFraction: input.speechFraction,
        score: input.score,
        path: input.path,
        clipKey: keys.clip,
        models: input.models,
        modelStats: input.modelStats,
      },
    };
  };
}

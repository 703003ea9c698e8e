import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderClip } from '@podpreview/audio';
import { type BlobStore, runBlobKeys, type SinkInput } from '@podpreview/shared';
import type { StageOutcome } from '../runtime/outcome.ts';

export interface SinkDeps {
  blobs: BlobStore;
}

/** Renders the clip into storage; the runtime then writes the result row. */
export function createSinkStage(deps: SinkDeps) {
  return async (input: SinkInput): Promise<StageOutcome<'sink'>> => {
    const keys = runBlobKeys(input.episodeId, input.runId);
    const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-sink-'));
    try {
      const source = path.join(dir, 'source');
      const clip = path.join(dir, 'preview.mp3');
      await deps.blobs.getToFile(input.sourceKey, source);
      await renderClip(source, clip, { startSec: input.previewStartSec, durationSec: input.previewEndSec - input.previewStartSec });
      await deps.blobs.putFile(keys.clip, clip);
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

import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type BlobStore, type Logger, type ResultRow, runBlobKeys } from '@podpreview/shared';

/**
 * Deletes what only the stages needed once a run has ended, succeeded or not: the source copy,
 * the decoded PCM (~230 MB per audio hour), feature tracks, the parsed transcript and the
 * scored sentences. The clip and `selection.json` (the explanation) stay.
 */
export async function deleteIntermediates(blobs: BlobStore, row: Pick<ResultRow, 'episodeId' | 'runId'>): Promise<void> {
  const keys = runBlobKeys(row.episodeId, row.runId);
  await Promise.all([
    blobs.delete(keys.source),
    blobs.delete(keys.pcm),
    blobs.delete(keys.transcript),
    blobs.delete(keys.sentences),
    blobs.deletePrefix(keys.tracks),
  ]);
}

/**
 * Removes entries of the workers' scratch directory older than `maxAgeMs`: what a worker that
 * was killed mid-job (kill -9, OOM) left behind. Live jobs' files are younger than any stage
 * may run (PODPREVIEW_STAGE_TIMEOUT_MS is checked to be shorter at start).
 */
export async function sweepScratch(dir: string, maxAgeMs: number, log: Logger, nowMs = Date.now()): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const entry = path.join(dir, name);
    const info = await stat(entry).catch(() => undefined);
    if (!info || nowMs - info.mtimeMs <= maxAgeMs) continue;
    await rm(entry, { recursive: true, force: true });
    removed++;
  }
  if (removed > 0) log.info({ dir, removed }, 'swept scratch files left by earlier workers');
  return removed;
}

import { episodeAnswer, latestResultFor, type RunStatus, runStatus, type StageQueues } from '@podpreview/pipeline/client';
import { type BlobStore, getJsonBlob, type ResultRow, type ResultsSink, runBlobKeys, SelectionBlob } from '@podpreview/shared';

export interface EpisodeDetails {
  episodeId: string;
  runId: string;
  status: RunStatus | undefined;
  result: ResultRow | undefined;
  /** The selection's explanation (timeline, chosen window, contributions), when it still exists. */
  selection: SelectionBlob | undefined;
}

/** What the episode page shows: the newest run's state per stage, its result, and why this window. */
export async function episodeDetails(queues: StageQueues, results: ResultsSink, blobs: BlobStore, episodeId: string): Promise<EpisodeDetails | undefined> {
  const answer = await episodeAnswer(queues, episodeId);
  const result = answer ? await results.forRun(answer.runId) : await latestResultFor(queues, results, episodeId);
  const id = answer?.runId ?? result?.runId;
  if (!id) return undefined;
  const [status, selection] = await Promise.all([
    answer ? answer.status : runStatus(queues, id),
    getJsonBlob(blobs, runBlobKeys(episodeId, id).selection, SelectionBlob).catch(() => undefined),
  ]);
  return { episodeId, runId: id, status, result, selection };
}

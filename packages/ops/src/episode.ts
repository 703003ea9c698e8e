import { episodeAnswer, type RunStatus, runStatus, type StageQueues } from '@podpreview/runs';
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
  const answer = await episodeAnswer({ queues, results }, episodeId);
  if (!answer) return undefined;
  const { runId: id, result } = answer;
  const [status, selection] = await Promise.all([
    answer.status ?? runStatus(queues, id),
    getJsonBlob(blobs, runBlobKeys(episodeId, id).selection, SelectionBlob).catch(() => undefined),
  ]);
  return { episodeId, runId: id, status, result, selection };
}

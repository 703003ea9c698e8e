import { type Config, EnqueueRequest, type Logger, type ResultRow } from '@podpreview/shared';
import { enqueueEpisode, type StageQueues } from '@podpreview/runs';

/**
 * The speech-to-text upgrade pass (PODPREVIEW_ASR=upgrade). Transcribing costs about a third of
 * the audio's length in core time, so an episode without a transcript first gets its fast
 * audio-only preview; when that run has succeeded, a second run of the same submission
 * transcribes it and selects again with the words' evidence. It is the episode's newest run, so
 * once it succeeds it is the episode's answer; both runs keep their result rows. It goes at
 * normal priority, behind priority episodes, and a run that transcribed is never upgraded again.
 */
export async function startAsrUpgrade(queues: StageQueues, config: Config, row: ResultRow, log: Logger): Promise<string | undefined> {
  const record = await queues.runs.read(row.runId);
  const request = record?.request;
  if (!request || request.transcribe || request.transcriptUri) return undefined;
  const receipt = await enqueueEpisode(
    queues,
    // The upgrade of this variant's preview runs here, even where normal priority is routed to the fallback.
    { ...config, fallback: undefined },
    EnqueueRequest.parse({ id: row.episodeId, audioUri: request.audioUri, priority: false, force: true, transcribe: true }),
    Date.now(),
    record.owner ? { owner: record.owner } : {},
  );
  log.info({ runId: row.runId, episodeId: row.episodeId, upgradeRunId: receipt.runId }, 'audio-only preview shipped: speech-to-text upgrade run queued');
  return receipt.runId;
}

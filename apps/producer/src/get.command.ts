import { closeQueues, connectRedis, createQueues, episodeAnswer, latestResultFor } from '@podpreview/pipeline/client';
import type { Config } from '@podpreview/shared';
import { createBlobStore, createResultsSink } from '@podpreview/storage';
import type { Episode } from './http/api.schemas.ts';
import { type ClipLocator, publicResult, rowView, runView } from './http/run-view.ts';

/**
 * `podpreview get <id>`: the episode as GET /v1/episodes/:id answers it (same view code), with
 * the clip located in the store itself (file:// or gs://). Without REDIS_URL only the results
 * table is asked, so finished episodes can be looked up on a bare machine.
 */
export async function getEpisode(config: Config, id: string): Promise<Episode | undefined> {
  const blobs = createBlobStore(config);
  const results = createResultsSink(config);
  const clip: ClipLocator = async (_episodeId, _runId, key) => (key ? { url: blobs.uri(key), expiresAt: null, contentType: 'audio/mpeg' } : null);
  const queues = config.redisUrl ? createQueues(await connectRedis(config.redisUrl, 'client', config.redisConnectTimeoutMs), config) : undefined;
  try {
    const answer = queues ? await episodeAnswer(queues, id) : undefined;
    const result = answer
      ? await results.forRun(answer.runId)
      : queues
        ? await latestResultFor(queues, results, id)
        : await results.latestForEpisode(id, config.fallback ? [config.variant, 'fallback'] : [config.variant]);
    if (!answer && !result) return undefined;
    const run = answer ? await runView(id, answer.status, result, clip) : await rowView(result!, clip);
    return { id, ...run, result: result ? publicResult(result) : null };
  } finally {
    if (queues) await closeQueues(queues);
    await results.close();
  }
}

const secs = (x: number | null | undefined) => (x == null ? '-' : `${x.toFixed(1)} s`);

/** For people: one fact a line. */
export function episodeText(e: Episode): string {
  const lines: [string, string][] = [
    ['episode', e.id],
    ['run', e.runId],
    ['status', e.status + (e.cancelRequested && e.status !== 'cancelled' ? ' (cancel requested)' : '')],
  ];
  const stages = Object.entries(e.stages);
  if (stages.length > 0) lines.push(['stages', stages.map(([k, v]) => `${k} ${v}`).join(', ')]);
  if (e.preview) {
    const speech = e.preview.speechFraction === null ? '' : ` (speech ${Math.round(e.preview.speechFraction * 100)} %)`;
    lines.push(['preview', `${e.preview.startSec?.toFixed(1) ?? '?'}–${e.preview.endSec?.toFixed(1) ?? '?'} s${speech}`]);
  }
  if (e.latencyMs !== null) lines.push(['latency', secs(e.latencyMs / 1000)]);
  if (e.errorCode) lines.push(['error', `${e.errorCode}${e.failedStage ? ` (in ${e.failedStage})` : ''}`]);
  if (e.clip) lines.push(['clip', e.clip.url]);
  if (e.enqueuedAt) lines.push(['enqueued', e.enqueuedAt]);
  if (e.finishedAt) lines.push(['finished', e.finishedAt]);
  return lines.map(([k, v]) => `${k.padEnd(9)}${v}`).join('\n');
}

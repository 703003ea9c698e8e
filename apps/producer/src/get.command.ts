import { answerVariantsOf, closeQueues, connectRedis, createQueues, episodeAnswer } from '@podpreview/runs';
import { type Config, redisTargetOf } from '@podpreview/shared';
import { createBlobStore, createResultsSink } from '@podpreview/storage';
import type { Episode } from './http/api.schemas.ts';
import { type ClipLocator, publicResult, rowView, runView } from './http/run-view.ts';

/**
 * `podpreview get <id>`: the episode as GET /v1/episodes/:id answers it (the same episodeAnswer
 * and view code), with the clip located in the store itself (file:// or gs://). Redis is reached
 * as every command reaches it (a URL, Sentinel or a Cluster); without one only the results table
 * is asked, so finished episodes can be looked up on a bare machine.
 */
export async function getEpisode(config: Config, id: string): Promise<Episode | undefined> {
  const blobs = createBlobStore(config);
  const results = createResultsSink(config);
  const clip: ClipLocator = async (_episodeId, _runId, key) => (key ? { url: blobs.uri(key), expiresAt: null, contentType: 'audio/mpeg' } : null);
  const target = redisTargetOf(config);
  const queues = target ? createQueues(await connectRedis(target, 'client', config.redisConnectTimeoutMs), config) : undefined;
  try {
    const answer = await episodeAnswer(queues ? { queues, results } : { results, variants: answerVariantsOf(config) }, id);
    if (!answer) return undefined;
    const { status, result } = answer;
    const run = status ? await runView(id, status, result, clip) : result ? await rowView(result, clip) : undefined;
    if (!run) return undefined;
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

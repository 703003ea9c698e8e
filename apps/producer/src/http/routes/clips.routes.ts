import type { Request, Response } from 'express';
import { runStatus } from '@podpreview/runs';
import { clipSource } from '@podpreview/storage';
import type { ApiContext } from '../context.ts';
import { clipResponses, rangeHeader } from '../doc.ts';
import { sendProblem } from '../problem.ts';
import { pathParam, type RouteSpec } from '../route.ts';
import { readEpisodeAnswer, readRun, type RunReaderDeps } from '../runs.ts';

/** The clip of one run: its row (Redis keeps the outcome while the row may still be dead-lettered). */
async function clipKeyOf(deps: RunReaderDeps, runId: string): Promise<string | null> {
  const s = await runStatus(deps.queues, runId);
  return s.summary?.clipKey ?? (await deps.results.forRun(runId))?.clipKey ?? null;
}

/** A run's clip (the episode's answering run when `runId` is absent): the file with Range support, or a redirect to a signed URL. */
async function sendClip(ctx: ApiContext, req: Request, res: Response, id: string, runId: string | undefined): Promise<void> {
  const reader = ctx.readerDeps(req);
  const run = runId ? await readRun(reader, id, runId, ctx.clips(false)) : (await readEpisodeAnswer(reader, id, ctx.clips(false)))?.run;
  const key = run ? await clipKeyOf(reader, run.runId) : null;
  if (!key) return sendProblem(res, 'not_found', { detail: `no clip for ${runId ? `run ${runId} of ` : ''}episode ${id}` });
  const source = await clipSource(ctx.blobs, key, { tempDir: ctx.config.tempDir, signTtlSec: ctx.config.clipUrlTtlSec });
  if (source.kind === 'signed') {
    res.set('cache-control', 'no-store');
    return res.redirect(302, source.url);
  }
  if (source.kind === 'copy') res.on('close', () => void source.cleanup());
  // send (through sendFile) answers Range requests with 206, so players can seek; the default data directory is `.data`.
  res.sendFile(source.path, { headers: { 'content-type': 'audio/mpeg' }, acceptRanges: true, dotfiles: 'allow' }, (err) => {
    if (err && !res.headersSent) sendProblem(res, (err as { status?: number }).status === 404 ? 'not_found' : 'internal');
  });
}

export const CLIPS_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/episodes/:id/clip',
    doc: {
      operationId: 'getEpisodeClip',
      summary: "The newest run's clip: the MP3 (Range requests answered with 206) or a redirect to a signed storage URL",
      parameters: [rangeHeader],
      responses: clipResponses,
    },
    handlers: (ctx) => [(req, res) => sendClip(ctx, req, res, pathParam(req, 'id'), undefined)],
  },
  {
    method: 'get',
    path: '/v1/episodes/:id/runs/:runId/clip',
    doc: {
      operationId: 'getRunClip',
      summary: "One run's clip, as /v1/episodes/{id}/clip",
      parameters: [rangeHeader],
      responses: clipResponses,
    },
    handlers: (ctx) => [(req, res) => sendClip(ctx, req, res, pathParam(req, 'id'), pathParam(req, 'runId'))],
  },
];

import express, { type ErrorRequestHandler, type Express } from 'express';
import { describeIssues, EnqueueRequest, EpisodeId, type Config, type Logger, type ResultsSink } from '@podpreview/shared';
import { enqueueEpisode, latestRunFor, runStatus, type StageQueues } from '@podpreview/pipeline/client';

export interface ApiDeps {
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  log: Logger;
}

/** The platform's entry point: enqueue an episode (priority ones jump every queue), read its status. */
export function createApi({ config, queues, results, log }: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: config.httpBodyLimitBytes, strict: true }));

  app.post('/v1/episodes', async (req, res, next) => {
    try {
      const parsed = EnqueueRequest.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: 'invalid_request', fields: describeIssues(parsed.error) });
        return;
      }
      const receipt = await enqueueEpisode(queues, config, parsed.data);
      res
        .status(202)
        .location(`/v1/episodes/${receipt.episodeId}`)
        .json({ id: receipt.episodeId, jobId: receipt.runId, runId: receipt.runId, joined: receipt.joined });
    } catch (err) {
      next(err);
    }
  });

  app.get('/v1/episodes/:id', async (req, res, next) => {
    try {
      const id = EpisodeId.safeParse(req.params.id);
      if (!id.success) {
        res.status(400).json({ error: 'invalid_request', fields: [{ field: 'id', message: id.error.issues[0]?.message }] });
        return;
      }
      const runId = await latestRunFor(queues, id.data);
      const result = runId ? await results.forRun(runId) : await results.latestForEpisode(id.data);
      if (!runId && !result) {
        res.status(404).json({ error: 'not_found', message: `no episode ${id.data}` });
        return;
      }
      const status = runId ? await runStatus(queues, runId) : undefined;
      res.json({
        id: id.data,
        runId: runId ?? result?.runId,
        state: result?.status ?? status?.state,
        stages: status?.stages,
        ...(status?.reason ? { reason: status.reason } : {}),
        result: result ?? null,
      });
    } catch (err) {
      next(err);
    }
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });

  const onError: ErrorRequestHandler = (err: { type?: string; status?: number; message?: string }, _req, res, _next) => {
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: 'body_too_large', limitBytes: config.httpBodyLimitBytes });
    } else if (err.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'invalid_json', message: err.message });
    } else if (err.status && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: 'bad_request', message: err.message });
    } else {
      log.error({ err: err.message }, 'request failed');
      res.status(503).json({ error: 'unavailable', message: 'queue or results store unavailable; retry later' });
    }
  };
  app.use(onError);
  return app;
}

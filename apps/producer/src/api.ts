import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { versionReport } from '@podpreview/ops';
import { enqueueEpisode, latestRunFor, runStatus, type StageQueues } from '@podpreview/pipeline/client';
import {
  type Config,
  describeIssues,
  EnqueueRequest,
  EpisodeId,
  InputNotAllowedError,
  InputNotFoundError,
  type Logger,
  PodpreviewError,
  type ResultRow,
  type ResultsSink,
} from '@podpreview/shared';
import { checkInput } from '@podpreview/storage';
import { authenticate, hasScope } from './http/auth.ts';
import { createApiMetrics } from './http/metrics.ts';
import { sendProblem } from './http/problem.ts';

export interface ApiDeps {
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  log: Logger;
}

/**
 * The platform's entry point: enqueue an episode (priority ones jump every queue), read its
 * status. Every /v1 route needs a credential when tokens are configured; `priority` and
 * `force` need the scope of that name; each credential has its own rate limit.
 */
export function createApi({ config, queues, results, log }: ApiDeps): Express {
  const app = express();
  const metrics = createApiMetrics();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.on('finish', () => {
      // The matched route, not the path: episode ids must not become label values.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      log.info({ method: req.method, path: req.path, status: res.statusCode, caller: req.caller?.name }, 'request');
    });
    next();
  });
  app.get('/metrics', authenticate(config.apiTokens), async (_req, res, next) => {
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  app.use('/v1', authenticate(config.apiTokens));
  // Which code, packages and models answer: behind the same credential as the API.
  app.get('/version', authenticate(config.apiTokens), async (_req, res, next) => {
    try {
      res.json(await versionReport(config));
    } catch (err) {
      next(err);
    }
  });
  app.use(
    '/v1',
    rateLimit({
      windowMs: 60_000,
      limit: config.apiRateLimitPerMin,
      keyGenerator: (req) => req.caller?.name ?? 'anonymous',
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (_req, res) => sendProblem(res, 'rate_limited', { detail: `at most ${config.apiRateLimitPerMin} requests a minute per credential` }),
    }),
  );

  app.post('/v1/episodes', requireJson, express.json({ limit: config.httpBodyLimitBytes, strict: true }), async (req, res, next) => {
    try {
      const parsed = EnqueueRequest.safeParse(req.body);
      if (!parsed.success) return sendProblem(res, 'invalid_request', { errors: describeIssues(parsed.error) });
      const body = parsed.data;
      for (const scope of ['priority', 'force'] as const) {
        if (body[scope] && !hasScope(req.caller, scope)) return sendProblem(res, 'forbidden', { detail: `"${scope}": true needs the ${scope} scope` });
      }
      for (const field of ['audioUri', 'transcriptUri'] as const) {
        const uri = body[field];
        if (!uri) continue;
        try {
          await checkInput(uri, config.inputs, { mustExist: false });
        } catch (err) {
          if (err instanceof InputNotAllowedError || err instanceof InputNotFoundError) {
            return sendProblem(res, 'input_not_allowed', {
              errors: [{ field, message: err instanceof InputNotAllowedError ? reasonOf(err) : 'names no file' }],
            });
          }
          throw err;
        }
      }
      const started = performance.now();
      const receipt = await enqueueEpisode(queues, config, body);
      metrics.enqueueSeconds.observe({ outcome: receipt.joined ? 'joined' : 'new' }, (performance.now() - started) / 1000);
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
      if (!id.success) return sendProblem(res, 'invalid_request', { errors: [{ field: 'id', message: id.error.issues[0]?.message ?? 'invalid' }] });
      const runId = await latestRunFor(queues, id.data);
      const result = runId ? await results.forRun(runId) : await results.latestForEpisode(id.data);
      if (!runId && !result) return sendProblem(res, 'not_found', { detail: `no episode ${id.data}` });
      const status = runId ? await runStatus(queues, runId) : undefined;
      res.json({
        id: id.data,
        runId: runId ?? result?.runId,
        state: result?.status ?? status?.state,
        stages: status?.stages,
        // The code only: messages carry paths and tool output meant for operators.
        ...(status?.reason ? { reason: status.reason.split(':')[0] } : {}),
        result: result ? publicResult(result) : null,
      });
    } catch (err) {
      next(err);
    }
  });

  app.use((_req, res) => sendProblem(res, 'not_found'));

  const onError: ErrorRequestHandler = (err: { type?: string; status?: number; message?: string }, _req, res, _next) => {
    if (err.type === 'entity.too.large') return sendProblem(res, 'body_too_large', { limitBytes: config.httpBodyLimitBytes });
    if (err.type === 'entity.parse.failed') return sendProblem(res, 'invalid_json');
    if (err.status && err.status >= 400 && err.status < 500) return sendProblem(res, 'invalid_request');
    // A dependency that is down (Redis reconnecting, the results file locked) is worth a retry.
    if (queues.redis.status !== 'ready' || (err instanceof PodpreviewError && err.retryable)) {
      log.warn({ err: err.message }, 'request failed: dependency unavailable');
      res.set('retry-after', '5');
      return sendProblem(res, 'unavailable');
    }
    log.error({ err: err.message }, 'request failed');
    return sendProblem(res, 'internal');
  };
  app.use(onError);
  return app;
}

function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (req.is('application/json')) next();
  else sendProblem(res, 'unsupported_media_type');
}

/** "outside PODPREVIEW_INPUT_ROOTS" and the like, without echoing the resolved path. */
const reasonOf = (err: Error) => /\(([^)]*)\)$/.exec(err.message)?.[1] ?? 'not allowed';

/** The result row as a client sees it: error codes, no internal messages, paths or error classes. */
function publicResult(row: ResultRow) {
  const { errorMessage: _message, errorClass: _class, ...rest } = row;
  return rest;
}

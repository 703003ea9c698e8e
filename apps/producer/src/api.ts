import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { versionReport } from '@podpreview/ops';
import type { z } from 'zod';
import {
  createCallbackQueue,
  enqueueCallbacks,
  enqueueEpisode,
  episodeAnswer,
  isTerminal,
  latestResultFor,
  requestCancel,
  runStatus,
  type StageQueues,
  takeRunCallbacks,
} from '@podpreview/pipeline/client';
import {
  type BlobStore,
  type Config,
  describeIssues,
  EnqueueRequest,
  EpisodeId,
  InputNotAllowedError,
  InputNotFoundError,
  type Logger,
  type ResultsSink,
} from '@podpreview/shared';
import { assertPublicHost, BlockedAddressError, checkInput, createBlobStore, LocalBlobStore } from '@podpreview/storage';
import { CancelReceipt, Episode, ListQuery, Run, RunPage, SubmitReceipt } from './http/api.schemas.ts';
import { authenticate, hasScope } from './http/auth.ts';
import { isDependencyDown } from './http/dependency.ts';
import { healthz, readyz } from './http/health.ts';
import { IDEMPOTENCY_KEY, idempotencyStore } from './http/idempotency.ts';
import { openApiDocument } from './http/openapi.ts';
import { publicResult, rowView, runStatusOf, runView } from './http/run-view.ts';
import { clipLocator, decodeCursor, listRuns, readEpisodeRuns, readRun, type RunReaderDeps } from './http/runs.ts';
import { createApiMetrics } from './http/metrics.ts';
import { sendProblem } from './http/problem.ts';
import { rateLimitStore } from './http/rate-limit.ts';
import { traceRequests } from './http/tracing.ts';

export interface ApiDeps {
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  /** Where clips are; default: the configured store. */
  blobs?: BlobStore;
  log: Logger;
}

/**
 * The platform's entry point: enqueue an episode (priority ones jump every queue), read its
 * status. Every /v1 route needs a credential when tokens are configured; `priority` and
 * `force` need the scope of that name; each credential has its own rate limit.
 */
export function createApi({ config, queues, results, blobs = createBlobStore(config), log }: ApiDeps): Express {
  const app = express();
  const metrics = createApiMetrics();
  app.disable('x-powered-by');
  app.use(traceRequests(config));
  app.use((req, res, next) => {
    res.on('finish', () => {
      // The matched route, not the path: episode ids must not become label values.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      log.info({ method: req.method, path: req.path, status: res.statusCode, caller: req.caller?.name }, 'request');
    });
    next();
  });
  // Probes carry no credential: they say nothing but "up" and which dependency is down.
  app.get('/healthz', healthz);
  app.get('/readyz', readyz(queues, results));
  // The description of the API is public, like the probes: generators fetch it without a credential.
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
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
      // Shared by every API replica (counters in Redis).
      store: rateLimitStore(queues.redis, queues.prefix, log),
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (_req, res) => sendProblem(res, 'rate_limited', { detail: `at most ${config.apiRateLimitPerMin} requests a minute per credential` }),
    }),
  );

  const runDeps = { config, queues, results, blobs };
  /** The queues whose keys hold a run of this variant: the fallback's for its runs, else this variant's own. */
  const ownerOf = (variant: string): StageQueues =>
    queues.fallback && variant === queues.fallback.variant && variant !== queues.variant ? queues.fallback : queues;
  const callbackQueue = createCallbackQueue(queues.redis, config);
  const idempotency = idempotencyStore(queues.redis, queues.prefix, config.idempotencyTtlMs);
  const baseOf = (req: Request) => config.apiPublicUrl ?? `${req.protocol}://${req.get('host')}`;
  const clips = (req: Request, sign: boolean) => clipLocator(runDeps, baseOf(req), { sign });
  const served = <T>(res: Response, schema: z.ZodType<T>, body: T, status = 200) => {
    // Every answer is parsed on the way out: one the OpenAPI document does not describe is a bug (500), not a surprise to a client.
    res.status(status).json(schema.parse(body));
  };

  app.post('/v1/episodes', requireJson, express.json({ limit: config.httpBodyLimitBytes, strict: true }), async (req, res, next) => {
    const idemKey = req.get('idempotency-key');
    const caller = req.caller?.name ?? 'anonymous';
    let claimed = false;
    try {
      if (idemKey !== undefined && !IDEMPOTENCY_KEY.test(idemKey)) {
        return sendProblem(res, 'invalid_request', { errors: [{ field: 'Idempotency-Key', message: '1 to 200 printable ASCII characters' }] });
      }
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
      if (body.callbackUrl) {
        const refused = await checkCallbackTarget(config, caller, body.callbackUrl);
        if (refused) return sendProblem(res, 'callback_not_allowed', { errors: [{ field: 'callbackUrl', message: refused }] });
      }
      if (idemKey !== undefined) {
        const claim = await idempotency.claim(caller, idemKey, body);
        if (claim.kind === 'conflict') return sendProblem(res, 'idempotency_key_reused');
        if (claim.kind === 'in-progress') {
          res.set('retry-after', '1');
          return sendProblem(res, 'idempotency_key_in_use');
        }
        if (claim.kind === 'replay') return res.status(claim.status).set('idempotent-replayed', 'true').json(claim.body);
        claimed = true;
      }
      const started = performance.now();
      const callback = body.callbackUrl ? { url: body.callbackUrl, credential: caller } : undefined;
      const receipt = await enqueueEpisode(queues, config, body, Date.now(), callback ? { callback } : {});
      metrics.enqueueSeconds.observe({ outcome: receipt.joined ? 'joined' : 'new' }, (performance.now() - started) / 1000);
      const status = receipt.joined ? await runStatus(queues, receipt.runId) : undefined;
      if (callback && status && isTerminal(status.state)) {
        // The joined run ended while this request joined it: its end did not see our callback.
        await enqueueCallbacks(
          callbackQueue,
          config,
          { runId: receipt.runId, episodeId: receipt.episodeId },
          await takeRunCallbacks(ownerOf(receipt.variant).redis, ownerOf(receipt.variant).prefix, receipt.runId),
        );
      }
      const answer: SubmitReceipt = {
        id: receipt.episodeId,
        runId: receipt.runId,
        jobId: receipt.runId,
        joined: receipt.joined,
        status: status ? runStatusOf(status.state) : 'queued',
      };
      if (claimed && idemKey !== undefined) await idempotency.complete(caller, idemKey, body, { status: 202, body: answer });
      res.location(`/v1/episodes/${receipt.episodeId}/runs/${receipt.runId}`);
      served(res, SubmitReceipt, answer, 202);
    } catch (err) {
      if (claimed && idemKey !== undefined) await idempotency.release(caller, idemKey).catch(() => {});
      next(err);
    }
  });

  app.get('/v1/episodes', async (req, res, next) => {
    try {
      const q = ListQuery.safeParse(req.query);
      if (!q.success) return sendProblem(res, 'invalid_request', { errors: describeIssues(q.error) });
      const cursor = q.data.cursor === undefined ? undefined : decodeCursor(q.data.cursor);
      if (q.data.cursor !== undefined && !cursor)
        return sendProblem(res, 'invalid_request', { errors: [{ field: 'cursor', message: 'not a cursor this API gave out' }] });
      const page = await listRuns(
        runDeps,
        {
          ...(q.data.status ? { status: q.data.status } : {}),
          sinceMs: q.data.since ? Date.parse(q.data.since) : 0,
          ...(cursor ? { cursor } : {}),
          limit: Math.min(q.data.limit ?? config.apiPageMax, config.apiPageMax),
        },
        clips(req, false),
      );
      served(res, RunPage, page);
    } catch (err) {
      next(err);
    }
  });

  app.get('/v1/episodes/:id', async (req, res, next) => {
    try {
      const id = episodeIdOf(req, res);
      if (!id) return;
      const answer = await episodeAnswer(queues, id);
      const result = answer ? await results.forRun(answer.runId) : await latestResultFor(queues, results, id);
      if (!answer && !result) return sendProblem(res, 'not_found', { detail: `no episode ${id}` });
      const clip = clips(req, true);
      const run = answer ? await runView(id, answer.status, result, clip) : await rowView(result!, clip);
      served(res, Episode, { id, ...run, result: result ? publicResult(result) : null });
    } catch (err) {
      next(err);
    }
  });

  app.get('/v1/episodes/:id/runs', async (req, res, next) => {
    try {
      const id = episodeIdOf(req, res);
      if (!id) return;
      const items = await readEpisodeRuns(runDeps, id, config.apiPageMax, clips(req, false));
      if (items.length === 0) return sendProblem(res, 'not_found', { detail: `no episode ${id}` });
      served(res, RunPage, { items, nextCursor: null });
    } catch (err) {
      next(err);
    }
  });

  app.get('/v1/episodes/:id/runs/:runId', async (req, res, next) => {
    try {
      const id = episodeIdOf(req, res);
      const runId = id && runIdOf(req, res);
      if (!id || !runId) return;
      const run = await readRun(runDeps, id, runId, clips(req, true));
      if (!run) return sendProblem(res, 'not_found', { detail: `no run ${runId} of episode ${id}` });
      served(res, Run, run);
    } catch (err) {
      next(err);
    }
  });

  app.delete('/v1/episodes/:id/runs/:runId', async (req, res, next) => {
    try {
      const id = episodeIdOf(req, res);
      const runId = id && runIdOf(req, res);
      if (!id || !runId) return;
      const before = await readRun(runDeps, id, runId, clips(req, false));
      if (!before) return sendProblem(res, 'not_found', { detail: `no run ${runId} of episode ${id}` });
      // A run handed to the fallback variant (or routed there) is cancelled in that variant's keys.
      const holder = ownerOf(before.variant);
      const outcome = await requestCancel(holder.redis, holder.prefix, runId);
      if (outcome === 'unknown') return sendProblem(res, 'not_found', { detail: `no run ${runId} of episode ${id}` });
      if (outcome === 'ended') return sendProblem(res, 'run_ended', { detail: `run ${runId} ended as ${before.status}` });
      served(res, CancelReceipt, { runId, status: before.status, cancelRequested: true }, 202);
    } catch (err) {
      next(err);
    }
  });

  const sendClip = async (req: Request, res: Response, next: NextFunction, id: string, runId: string | undefined) => {
    try {
      const run = runId ? await readRun(runDeps, id, runId, clips(req, false)) : undefined;
      const key = runId ? (run ? await clipKeyOf(runDeps, run.runId) : null) : await newestClipKey(runDeps, id);
      if (!key) return sendProblem(res, 'not_found', { detail: `no clip for ${runId ? `run ${runId} of ` : ''}episode ${id}` });
      if (blobs.signedUrl) {
        res.set('cache-control', 'no-store');
        return res.redirect(302, (await blobs.signedUrl(key, config.clipUrlTtlSec)).url);
      }
      if (blobs instanceof LocalBlobStore) {
        // send (through sendFile) answers Range requests with 206, so players can seek.
        return res.sendFile(blobs.localPath(key), { headers: { 'content-type': 'audio/mpeg' }, acceptRanges: true, dotfiles: 'allow' }, (err) => {
          if (err && !res.headersSent) sendProblem(res, (err as { status?: number }).status === 404 ? 'not_found' : 'internal');
        });
      }
      res.type('audio/mpeg').send(await blobs.get(key));
    } catch (err) {
      next(err);
    }
  };
  app.get('/v1/episodes/:id/clip', async (req, res, next) => {
    const id = episodeIdOf(req, res);
    if (id) await sendClip(req, res, next, id, undefined);
  });
  app.get('/v1/episodes/:id/runs/:runId/clip', async (req, res, next) => {
    const id = episodeIdOf(req, res);
    const runId = id && runIdOf(req, res);
    if (id && runId) await sendClip(req, res, next, id, runId);
  });

  app.use((_req, res) => sendProblem(res, 'not_found'));

  const onError: ErrorRequestHandler = (err: { type?: string; status?: number; message?: string }, _req, res, _next) => {
    if (err.type === 'entity.too.large') return sendProblem(res, 'body_too_large', { limitBytes: config.httpBodyLimitBytes });
    if (err.type === 'entity.parse.failed') return sendProblem(res, 'invalid_json');
    if (err.status && err.status >= 400 && err.status < 500) return sendProblem(res, 'invalid_request');
    // A dependency that is down (Redis reconnecting, the results file locked) is worth a retry; our own faults are not.
    if (isDependencyDown(err, queues)) {
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

function episodeIdOf(req: Request, res: Response): string | undefined {
  const id = EpisodeId.safeParse(req.params.id);
  if (id.success) return id.data;
  sendProblem(res, 'invalid_request', { errors: [{ field: 'id', message: id.error.issues[0]?.message ?? 'invalid' }] });
  return undefined;
}

/** Run ids are UUIDs (8 to 64 characters of the run contract); anything else names no run. */
function runIdOf(req: Request, res: Response): string | undefined {
  const runId = String(req.params.runId ?? '');
  if (/^[A-Za-z0-9-]{8,64}$/.test(runId)) return runId;
  sendProblem(res, 'invalid_request', { errors: [{ field: 'runId', message: 'not a run id' }] });
  return undefined;
}

/** The clip of one run: its row (Redis keeps the outcome while the row may still be dead-lettered). */
async function clipKeyOf(deps: RunReaderDeps, runId: string): Promise<string | null> {
  const s = await runStatus(deps.queues, runId);
  return s.summary?.clipKey ?? (await deps.results.forRun(runId))?.clipKey ?? null;
}

/** The newest clip of an episode: its answering run's, else the answering row's (a failed rerun keeps the earlier clip out). */
async function newestClipKey(deps: RunReaderDeps, episodeId: string): Promise<string | null> {
  const answer = await episodeAnswer(deps.queues, episodeId);
  if (answer) return answer.status.summary?.clipKey ?? (await deps.results.forRun(answer.runId))?.clipKey ?? null;
  return (await latestResultFor(deps.queues, deps.results, episodeId))?.clipKey ?? null;
}

/** Why a callback target is refused, or undefined: the credential needs a signing secret, the host must be public. */
async function checkCallbackTarget(config: Config, caller: string, url: string): Promise<string | undefined> {
  if (!config.callbacks.secrets.some((s) => s.name === caller))
    return `no callback secret is configured for credential ${caller} (PODPREVIEW_CALLBACK_SECRETS)`;
  try {
    await assertPublicHost(new URL(url), config.callbacks.allowPrivateUrls);
    return undefined;
  } catch (err) {
    if (err instanceof BlockedAddressError) return 'the host is not a public address';
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return 'the host does not resolve';
    // DNS itself failing (EAI_AGAIN, a timeout) is a dependency being down: 503, retry later.
    throw err;
  }
}

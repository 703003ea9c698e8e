import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { versionReport } from '@podpreview/ops';
import type { z } from 'zod';
import {
  type CostlyWork,
  createCallbackQueue,
  enqueueCallbacks,
  enqueueEpisode,
  isTerminal,
  releaseInFlight,
  requestCancel,
  reserveInFlight,
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
  RunInFlightDiffersError,
} from '@podpreview/shared';
import { assertPublicHost, BlockedAddressError, checkInput, createBlobStore, LocalBlobStore } from '@podpreview/storage';
import { CancelReceipt, Episode, ListQuery, Run, RunPage, SubmitReceipt } from './http/api.schemas.ts';
import { authenticate, hasScope, rejectForeignHost } from './http/auth.ts';
import { isDependencyDown } from './http/dependency.ts';
import { healthz, readyz } from './http/health.ts';
import { IDEMPOTENCY_KEY, idempotencyStore } from './http/idempotency.ts';
import { openApiDocument } from './http/openapi.ts';
import { publicResult, runStatusOf } from './http/run-view.ts';
import { clipLocator, decodeCursor, listRuns, readEpisodeAnswer, readEpisodeRuns, readRun, type RunReaderDeps } from './http/runs.ts';
import { mayCancel, mayRead } from './http/tenancy.ts';
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
  /**
   * The address this API is reached at when PODPREVIEW_API_PUBLIC_URL is unset (serve's own,
   * once bound): the base of the clip URLs it gives out. Unknown: they are paths on this API.
   * Never the request's Host, which the client chose.
   */
  selfUrl?: () => string | undefined;
}

/**
 * The platform's entry point: enqueue an episode (priority ones jump every queue), read its
 * status. Every /v1 route needs a credential when tokens are configured; `priority` and
 * `force` need the scope of that name; each credential has its own rate limit.
 */
/** Connection timeouts of a server answering this API (`serve`, and tests that listen themselves). */
export function applyServerTimeouts(server: Server, config: Pick<Config, 'httpKeepAliveTimeoutMs'>): void {
  server.keepAliveTimeout = config.httpKeepAliveTimeoutMs;
  // Headers of a request on a reused connection may arrive just before the idle timeout ends.
  server.headersTimeout = config.httpKeepAliveTimeoutMs + 1000;
}

export function createApi({ config, queues, results, blobs = createBlobStore(config), log, selfUrl }: ApiDeps): Express {
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
  app.use(rejectForeignHost(config));
  // Probes carry no credential: they say nothing but "up" and which dependency is down.
  app.get('/healthz', healthz);
  app.get('/readyz', readyz(queues, results, config.readyzCacheMs));
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
  /** What this request's caller may see (PODPREVIEW_API_TENANCY). */
  const readerDeps = (req: Request): RunReaderDeps => ({ ...runDeps, visible: (who) => mayRead(config, req.caller, who) });
  /** The queues whose keys hold a run of this variant: the fallback's for its runs, else this variant's own. */
  const ownerOf = (variant: string): StageQueues =>
    queues.fallback && variant === queues.fallback.variant && variant !== queues.variant ? queues.fallback : queues;
  const callbackQueue = createCallbackQueue(queues.redis, config);
  const idempotency = idempotencyStore(queues.redis, queues.prefix, { ttlMs: config.idempotencyTtlMs, claimTtlMs: config.idempotencyClaimTtlMs });
  const base = () => config.apiPublicUrl ?? selfUrl?.() ?? '';
  const clips = (_req: Request, sign: boolean) => clipLocator(runDeps, base(), { sign });
  const served = <T>(res: Response, schema: z.ZodType<T>, body: T, status = 200) => {
    // Every answer is parsed on the way out: one the OpenAPI document does not describe is a bug (500), not a surprise to a client.
    res.status(status).json(schema.parse(body));
  };

  app.post('/v1/episodes', requireJson, express.json({ limit: config.httpBodyLimitBytes, strict: true }), async (req, res, next) => {
    const idemKey = req.get('idempotency-key');
    const caller = req.caller?.name ?? 'anonymous';
    let claimed = false;
    const reserved: CostlyWork[] = [];
    const runId = randomUUID();
    try {
      if (idemKey !== undefined && !IDEMPOTENCY_KEY.test(idemKey)) {
        return sendProblem(res, 'invalid_request', { errors: [{ field: 'Idempotency-Key', message: '1 to 200 printable ASCII characters' }] });
      }
      const parsed = EnqueueRequest.safeParse(req.body);
      if (!parsed.success) return sendProblem(res, 'invalid_request', { errors: describeIssues(parsed.error) });
      const body = parsed.data;
      // Speech-to-text is the most expensive path there is: a scope of its own, like priority and force.
      for (const scope of ['priority', 'force', 'transcribe'] as const) {
        if (body[scope] && !hasScope(req.caller, scope)) return sendProblem(res, 'forbidden', { detail: `"${scope}": true needs the ${scope} scope` });
      }
      for (const field of ['audioUri', 'transcriptUri'] as const) {
        const uri = body[field];
        if (!uri) continue;
        const refused = await refusedInput(config, uri);
        if (refused) return sendProblem(res, 'input_not_allowed', { errors: [{ field, message: refused }] });
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
      const costly: [CostlyWork, boolean, number][] = [
        ['web', /^https?:/i.test(body.audioUri), config.apiMaxWebRunsPerCredential],
        ['transcribe', body.transcribe === true, config.apiMaxTranscribeRunsPerCredential],
      ];
      for (const [kind, applies, max] of costly) {
        if (!applies) continue;
        if (!(await reserveInFlight(queues, { kind, credential: caller, runId, max, ttlMs: config.runStateTtlMs }))) {
          throw new TooManyInFlight(kind, max);
        }
        reserved.push(kind);
      }
      const started = performance.now();
      const callback = body.callbackUrl ? { url: body.callbackUrl, credential: caller } : undefined;
      const receipt = await enqueueEpisode(queues, config, body, Date.now(), { runId, owner: caller, ...(callback ? { callback } : {}) });
      // A request that joined a run in flight holds no place of its own.
      if (receipt.runId !== runId) await giveBack(reserved.splice(0));
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
      await giveBack(reserved).catch(() => {});
      if (err instanceof RunInFlightDiffersError) {
        // Not the run's id: it may be another credential's.
        return sendProblem(res, 'run_in_flight_differs', {
          detail: `a run of this episode is in flight with another ${err.fields.join(', ')}`,
          errors: err.fields.map((field) => ({ field, message: 'differs from the run in flight' })),
        });
      }
      if (err instanceof TooManyInFlight) {
        res.set('retry-after', '30');
        return sendProblem(res, 'too_many_in_flight', { detail: err.message });
      }
      next(err);
    }

    async function giveBack(kinds: CostlyWork[]): Promise<void> {
      for (const kind of kinds) await releaseInFlight(queues, kind, caller, runId);
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
        readerDeps(req),
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
      const answer = await readEpisodeAnswer(readerDeps(req), id, clips(req, true));
      if (!answer) return sendProblem(res, 'not_found', { detail: `no episode ${id}` });
      served(res, Episode, { id, ...answer.run, result: answer.row ? publicResult(answer.row) : null });
    } catch (err) {
      next(err);
    }
  });

  app.get('/v1/episodes/:id/runs', async (req, res, next) => {
    try {
      const id = episodeIdOf(req, res);
      if (!id) return;
      const items = await readEpisodeRuns(readerDeps(req), id, config.apiPageMax, clips(req, false));
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
      const run = await readRun(readerDeps(req), id, runId, clips(req, true));
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
      const before = await readRun(readerDeps(req), id, runId, clips(req, false));
      if (!before) return sendProblem(res, 'not_found', { detail: `no run ${runId} of episode ${id}` });
      const holders = await runStatus(queues, runId);
      if (!mayCancel(config, req.caller, holders)) return sendProblem(res, 'forbidden', { detail: 'only the credential that started the run may cancel it' });
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
      const reader = readerDeps(req);
      const run = runId ? await readRun(reader, id, runId, clips(req, false)) : (await readEpisodeAnswer(reader, id, clips(req, false)))?.run;
      const key = run ? await clipKeyOf(runDeps, run.runId) : null;
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

/** A credential has as many runs of one kind of expensive work in flight as it may (429). */
class TooManyInFlight extends Error {
  constructor(kind: CostlyWork, max: number) {
    super(`at most ${max} runs ${kind === 'web' ? 'with an http(s) input' : 'with speech-to-text'} in flight per credential`);
  }
}

/**
 * Why an input is refused at submit, or undefined. Local paths and buckets by the input policy;
 * http(s) hosts must be public now (the worker checks again, on the address it connects to).
 * DNS failing (a timeout, EAI_AGAIN) is a dependency being down: thrown, answered 503.
 */
async function refusedInput(config: Config, uri: string): Promise<string | undefined> {
  try {
    const where = await checkInput(uri, config.inputs, { mustExist: false });
    if (where.kind === 'web') await assertPublicHost(where.url, config.inputs.allowPrivateUrls);
    return undefined;
  } catch (err) {
    if (err instanceof InputNotAllowedError) return reasonOf(err);
    if (err instanceof InputNotFoundError) return 'names no file';
    if (err instanceof BlockedAddressError) return 'the host is not a public address';
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return 'the host does not resolve';
    throw err;
  }
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

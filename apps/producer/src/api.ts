import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import { versionReport } from '@podpreview/ops';
import type { StageQueues } from '@podpreview/runs';
import type { BlobStore, Config, Logger, ResultsSink } from '@podpreview/shared';
import { createBlobStore } from '@podpreview/storage';
import { authenticate, rejectForeignHost } from './http/auth.ts';
import { type ApiContext, createApiContext } from './http/context.ts';
import { isDependencyDown } from './http/dependency.ts';
import { createApiMetrics } from './http/metrics.ts';
import { openApiDocument } from './http/openapi.ts';
import { sendProblem } from './http/problem.ts';
import { rateLimitStore } from './http/rate-limit.ts';
import { PATH_PARAMS } from './http/route.ts';
import { API_ROUTES } from './http/routes/index.ts';
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

/** Connection timeouts of a server answering this API (`serve`, and tests that listen themselves). */
export function applyServerTimeouts(server: Server, config: Pick<Config, 'httpKeepAliveTimeoutMs'>): void {
  server.keepAliveTimeout = config.httpKeepAliveTimeoutMs;
  // Headers of a request on a reused connection may arrive just before the idle timeout ends.
  server.headersTimeout = config.httpKeepAliveTimeoutMs + 1000;
}

/**
 * The platform's entry point: enqueue an episode (priority ones jump every queue), read its
 * runs, fetch its clip. The operations are the route table (http/routes/); this wires what
 * every request goes through: tracing, metrics, the Host check, then for /v1 the credential
 * and the credential's rate limit, and problem details for whatever fails.
 */
export function createApi({ config, queues, results, blobs = createBlobStore(config), log, selfUrl }: ApiDeps): Express {
  const app = express();
  const metrics = createApiMetrics();
  const ctx = createApiContext({ config, queues, results, blobs, log, metrics, document: openApiDocument, ...(selfUrl ? { selfUrl } : {}) });
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
  // Path parameters are checked once, before any handler sees them.
  for (const [name, { schema }] of Object.entries(PATH_PARAMS)) {
    app.param(name, (_req, res, next, value: string) => {
      const parsed = schema.safeParse(value);
      if (parsed.success) return next();
      sendProblem(res, 'invalid_request', { errors: [{ field: name, message: parsed.error.issues[0]?.message ?? 'invalid' }] });
    });
  }
  // Probes and the document carry no credential: they say nothing but "up", which dependency is down, and what the API is.
  mount(app, ctx, { public: true });
  app.get('/metrics', authenticate(config.apiTokens), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // Which code, packages and models answer: behind the same credential as the API.
  app.get('/version', authenticate(config.apiTokens), async (_req, res) => {
    res.json(await versionReport(config));
  });
  app.use('/v1', authenticate(config.apiTokens));
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
  mount(app, ctx, { public: false });
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

/** The table's public or credentialed routes (express 5 passes a rejected handler's error to onError). */
function mount(app: Express, ctx: ApiContext, o: { public: boolean }): void {
  for (const route of API_ROUTES) if ((route.public === true) === o.public) app[route.method](route.path, ...route.handlers(ctx));
}

import type { Request, Response } from 'express';
import type { z } from 'zod';
import { createCallbackQueue, type StageQueues } from '@podpreview/runs';
import type { BlobStore, Config, Logger, ResultsSink } from '@podpreview/shared';
import { idempotencyStore } from './idempotency.ts';
import type { createApiMetrics } from './metrics.ts';
import type { ClipLocator } from './run-view.ts';
import { clipLocator, type RunReaderDeps } from './runs.ts';
import { mayRead } from './tenancy.ts';

/** What every route of the API works with: its dependencies, built once per app. */
export interface ApiContext {
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  blobs: BlobStore;
  log: Logger;
  metrics: ReturnType<typeof createApiMetrics>;
  callbackQueue: ReturnType<typeof createCallbackQueue>;
  idempotency: ReturnType<typeof idempotencyStore>;
  /** The run readers' dependencies for this request's caller (PODPREVIEW_API_TENANCY). */
  readerDeps(req: Request): RunReaderDeps;
  /** Where clips are: signed URLs (single-run answers) or this API's clip routes. */
  clips(sign: boolean): ClipLocator;
  /** The queues whose keys hold a run of this variant: the fallback's for its runs, else this variant's own. */
  ownerOf(variant: string): StageQueues;
  /** The OpenAPI document of this API. */
  document(): object;
  /** Answers with a body parsed by its schema: one the document does not describe is a bug (500), not a surprise to a client. */
  served<T>(res: Response, schema: z.ZodType<T>, body: T, status?: number): void;
}

export interface ApiContextDeps {
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  blobs: BlobStore;
  log: Logger;
  metrics: ReturnType<typeof createApiMetrics>;
  /**
   * The address this API is reached at when PODPREVIEW_API_PUBLIC_URL is unset (serve's own,
   * once bound): the base of the clip URLs it gives out. Never the request's Host, which the
   * client chose.
   */
  selfUrl?: () => string | undefined;
  document: () => object;
}

export function createApiContext({ config, queues, results, blobs, log, metrics, selfUrl, document }: ApiContextDeps): ApiContext {
  const runDeps = { config, queues, results, blobs };
  const base = () => config.apiPublicUrl ?? selfUrl?.() ?? '';
  return {
    config,
    queues,
    results,
    blobs,
    log,
    metrics,
    document,
    callbackQueue: createCallbackQueue(queues.redis, config),
    idempotency: idempotencyStore(queues.redis, queues.prefix, { ttlMs: config.idempotencyTtlMs, claimTtlMs: config.idempotencyClaimTtlMs }),
    readerDeps: (req) => ({ ...runDeps, visible: (who) => mayRead(config, req.caller, who) }),
    clips: (sign) => clipLocator(runDeps, base(), { sign }),
    ownerOf: (variant) => (queues.fallback && variant === queues.fallback.variant && variant !== queues.variant ? queues.fallback : queues),
    served: (res, schema, body, status = 200) => {
      res.status(status).json(schema.parse(body));
    },
  };
}

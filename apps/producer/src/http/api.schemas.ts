import { z } from 'zod';
import {
  EnqueueRequest,
  EpisodeId,
  ModelRef,
  ModelStats,
  RESULT_STATUSES,
  RUN_STATES,
  type ResultRow,
  SelectionPath,
  STAGE_NAMES,
  VARIANT_NAMES,
} from '@podpreview/shared';
import { PROBLEMS } from './problem.ts';

/**
 * What the HTTP API answers, as zod schemas: the routes build their replies through these
 * types, and the OpenAPI document (openapi.ts) is generated from these and the request
 * contracts in @podpreview/shared, so the description cannot drift from the code.
 */

/** Run ids are UUIDs (8 to 64 characters of the run contract); anything else names no run. */
export const RunId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'not a run id');

/** A run's status as the product names it (not the queue library's job states). */
export const RunStatus = z.enum(RUN_STATES).meta({ id: 'RunStatus', description: `queued → running → ${RESULT_STATUSES.join(' | ')}` });
export type RunStatus = z.infer<typeof RunStatus>;

/** Which variant of the pipeline ran a run (docs/operations.md, Variants). */
export const Variant = z.enum(VARIANT_NAMES).meta({
  id: 'Variant',
  description: 'production; fallback (cheap models) for a run production failed or was late with, or a low-priority episode, until production answers',
});

/** One stage of a run. `retrying`: the last attempt failed and the next waits out its backoff. */
export const StageStatus = z.enum(['pending', 'queued', 'running', 'retrying', 'done', 'failed']).meta({ id: 'StageStatus' });
export type StageStatus = z.infer<typeof StageStatus>;

export const ClipLocation = z
  .object({
    url: z.string().meta({
      description:
        'where a client GETs the MP3: a signed storage URL, or the API’s clip route (served with Range support) under PODPREVIEW_API_PUBLIC_URL or the address the API binds, else as a path on the API',
    }),
    expiresAt: z.iso.datetime().nullable().meta({ description: 'when a signed URL stops working; null for the served one (it needs the API credential)' }),
    contentType: z.literal('audio/mpeg'),
  })
  .meta({ id: 'ClipLocation' });
export type ClipLocation = z.infer<typeof ClipLocation>;

export const Preview = z
  .object({
    startSec: z.number().nullable(),
    endSec: z.number().nullable(),
    speechFraction: z.number().min(0).max(1).nullable(),
  })
  .meta({ id: 'Preview' });

export const Run = z
  .object({
    runId: z.string(),
    episodeId: EpisodeId,
    status: RunStatus,
    stages: z.partialRecord(z.enum(STAGE_NAMES), StageStatus).meta({
      description: "each stage's status while the queues hold the run's jobs; empty for ended runs in listings and once the jobs are trimmed",
    }),
    enqueuedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    latencyMs: z.number().nullable(),
    preview: Preview.nullable(),
    clip: ClipLocation.nullable(),
    failedStage: z.enum(STAGE_NAMES).nullable(),
    errorCode: z.string().nullable().meta({ description: 'stable code of a failed run (never its internal message)' }),
    cancelRequested: z.boolean(),
    variant: Variant,
  })
  .meta({ id: 'Run' });
export type Run = z.infer<typeof Run>;

/** The result row as a client sees it: error codes, no internal messages, paths or error classes. */
export const PublicResult = z
  .object({
    runId: z.string(),
    episodeId: z.string(),
    contentHash: z.string().nullable(),
    status: z.enum(RESULT_STATUSES),
    previewStartSec: z.number().nullable(),
    previewEndSec: z.number().nullable(),
    durationSec: z.number().nullable(),
    speechFraction: z.number().nullable(),
    score: z.number().nullable(),
    path: SelectionPath.nullable(),
    clipKey: z.string().nullable(),
    failedStage: z.enum(STAGE_NAMES).nullable(),
    errorCode: z.string().nullable(),
    stageTimingsMs: z.partialRecord(z.enum(STAGE_NAMES), z.number()),
    models: z.array(ModelRef),
    modelStats: ModelStats.nullable(),
    enqueuedAtMs: z.number(),
    finishedAtMs: z.number(),
    latencyMs: z.number(),
    build: z.string().nullable(),
    variant: Variant,
  })
  .meta({ id: 'Result' });
export type PublicResult = z.infer<typeof PublicResult>;
// Every field of a row but the internal ones: a new column fails to compile here until it is described.
type Internal = 'errorMessage' | 'errorClass' | 'owner';
type _SameFields = [Exclude<keyof ResultRow, Internal>] extends [keyof PublicResult]
  ? [keyof PublicResult] extends [Exclude<keyof ResultRow, Internal>]
    ? true
    : never
  : never;
const _checked: _SameFields = true;
void _checked;

export const Episode = Run.extend({
  id: EpisodeId,
  /** The newest run's result row, once it has one. */
  result: PublicResult.nullable(),
}).meta({ id: 'Episode' });
export type Episode = z.infer<typeof Episode>;

export const RunPage = z
  .object({
    items: z.array(Run),
    nextCursor: z.string().nullable().meta({ description: 'pass as `cursor` for the next page; null on the last' }),
  })
  .meta({ id: 'RunPage' });

export const SubmitReceipt = z
  .object({
    id: EpisodeId,
    runId: z.string(),
    /** The run id again, for clients of the first version of this API. */
    jobId: z.string(),
    joined: z.boolean().meta({ description: 'true when the episode was already in flight and this request joined that run' }),
    status: RunStatus,
  })
  .meta({ id: 'SubmitReceipt' });
export type SubmitReceipt = z.infer<typeof SubmitReceipt>;

export const SubmitRequest = EnqueueRequest.meta({ id: 'SubmitRequest' });

export const CancelReceipt = z.object({ runId: z.string(), status: RunStatus, cancelRequested: z.boolean() }).meta({ id: 'CancelReceipt' });

export const Problem = z
  .object({
    type: z.string().meta({ description: '`urn:podpreview:problem:<code>`' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: `RFC 9457 problem details; codes: ${Object.keys(PROBLEMS).join(', ')}` });

export const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const Readiness = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({ redis: z.enum(['ok', 'down']), results: z.enum(['ok', 'down']) }),
  })
  .meta({ id: 'Readiness' });

export const ListQuery = z.object({
  status: RunStatus.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).optional(),
});

/** What a completion callback POSTs: the run as GET /v1/episodes/:id/runs/:runId shows it. */
export const CallbackBody = z.object({ event: z.literal('run.ended'), deliveryId: z.string(), run: Run }).meta({ id: 'CallbackBody' });
export type CallbackBody = z.infer<typeof CallbackBody>;

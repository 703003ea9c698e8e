import { z } from 'zod';
import {
  CallbackBody,
  CancelReceipt,
  ClipLocation,
  Episode,
  Health,
  ListQuery,
  Preview,
  Problem,
  PublicResult,
  Readiness,
  Run,
  RunPage,
  RunStatus,
  StageStatus,
  SubmitReceipt,
  SubmitRequest,
  Variant,
} from './api.schemas.ts';
import { PROBLEMS, type ProblemCode } from './problem.ts';

/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the zod schemas the routes use
 * (api.schemas.ts and the request contract in @podpreview/shared): one source, so the document
 * cannot say something the code does not do. Served at /v1/openapi.json.
 */
const COMPONENTS = [
  CallbackBody,
  CancelReceipt,
  ClipLocation,
  Episode,
  Health,
  Preview,
  Problem,
  PublicResult,
  Readiness,
  Run,
  RunPage,
  RunStatus,
  StageStatus,
  SubmitReceipt,
  Variant,
] as const;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: object) => ({ 'application/json': { schema } });

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of every schema with an id, cross-referenced by $ref. */
function componentSchemas(): Record<string, object> {
  const registry = z.registry<{ id: string }>();
  const ids = new Map<z.ZodType, string>();
  for (const s of [...COMPONENTS, SubmitRequest]) {
    const id = z.globalRegistry.get(s)?.id;
    if (!id) throw new Error('an API schema lacks its id');
    registry.add(s, { id });
    ids.set(s, id);
  }
  const convert = (io: 'input' | 'output') =>
    z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` }).schemas;
  // Requests are described as a client writes them (defaults optional), replies as they arrive.
  const out = { ...convert('output'), SubmitRequest: convert('input').SubmitRequest! };
  if ('__shared' in out) throw new Error('an API schema refers to a schema with an id that is not a component');
  return Object.fromEntries(
    Object.entries(out).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

const problem = (...codes: ProblemCode[]) =>
  Object.fromEntries(
    [...new Set(codes.map((c) => PROBLEMS[c].status))].map((status) => [
      String(status),
      {
        description: codes
          .filter((c) => PROBLEMS[c].status === status)
          .map((c) => `\`${c}\`: ${PROBLEMS[c].title}`)
          .join('; '),
        content: { 'application/problem+json': { schema: ref('Problem') } },
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds to wait' } } } : {}),
      },
    ]),
  );

const COMMON = ['unauthorized', 'host_not_allowed', 'rate_limited', 'internal', 'unavailable'] as const;
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'episode id',
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 128 },
};
const runIdParam = { name: 'runId', in: 'path', required: true, schema: { type: 'string' } };
const queryParam = (name: Exclude<keyof typeof ListQuery.shape, 'status'>, description: string) => {
  const { $schema: _s, ...schema } = z.toJSONSchema(ListQuery.shape[name], { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { name, in: 'query', required: false, description, schema };
};

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'podpreview API',
      version: '1.0.0',
      description:
        'Submit podcast episodes for 60-second previews, follow their runs, fetch the clips, be called back when a run ends. Errors are RFC 9457 problem details.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a token of PODPREVIEW_API_TOKENS (none when the API serves loopback only without tokens)' },
      },
    },
    paths: {
      '/healthz': {
        get: {
          operationId: 'healthz',
          summary: 'Liveness: the process answers',
          security: [],
          responses: { '200': { description: 'alive', content: json(ref('Health')) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readyz',
          summary: 'Readiness: Redis and the results store answer',
          security: [],
          responses: {
            '200': { description: 'ready', content: json(ref('Readiness')) },
            '503': { description: 'a dependency is down', headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: json(ref('Readiness')) },
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
        },
      },
      '/v1/episodes': {
        post: {
          operationId: 'submitEpisode',
          summary: 'Submit an episode (joins its run when one is in flight)',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'the same key with the same body gets the first answer again; with another body, 422; while the first request is still being answered, 409',
              schema: { type: 'string', minLength: 1, maxLength: 200 },
            },
          ],
          requestBody: { required: true, content: json(ref('SubmitRequest')) },
          responses: {
            '202': { description: 'accepted: a new run, or the run in flight it joined', content: json(ref('SubmitReceipt')) },
            ...problem(
              'invalid_json',
              'invalid_request',
              'input_not_allowed',
              'callback_not_allowed',
              'forbidden',
              'idempotency_key_reused',
              'idempotency_key_in_use',
              'run_in_flight_differs',
              'too_many_in_flight',
              'body_too_large',
              'unsupported_media_type',
              ...COMMON,
            ),
          },
          callbacks: {
            runEnded: {
              '{$request.body#/callbackUrl}': {
                post: {
                  summary: 'The run ended (succeeded, failed, deduplicated or cancelled)',
                  description:
                    'Signed in the Standard Webhooks format: `webhook-signature: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")>` with the secret of the credential that submitted (a `whsec_` secret base64-decoded, any other as UTF-8); reject timestamps more than 300 s away and repeated webhook-ids. The previous Podpreview-* headers come too for one release (deprecated). Retried with exponential backoff until a 2xx.',
                  parameters: [
                    { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' } },
                    { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' } },
                    { name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string' } },
                    { name: 'Podpreview-Timestamp', in: 'header', required: false, deprecated: true, schema: { type: 'string' } },
                    { name: 'Podpreview-Signature', in: 'header', required: false, deprecated: true, schema: { type: 'string' } },
                    { name: 'Podpreview-Delivery', in: 'header', required: false, deprecated: true, schema: { type: 'string' } },
                  ],
                  requestBody: { required: true, content: json(ref('CallbackBody')) },
                  responses: { '2XX': { description: 'received' } },
                },
              },
            },
          },
        },
        get: {
          operationId: 'listRuns',
          summary: 'Runs across episodes, newest first (the Redis window of PODPREVIEW_RUN_STATE_TTL_MS)',
          parameters: [
            { name: 'status', in: 'query', required: false, description: 'only runs with this status', schema: ref('RunStatus') },
            queryParam('since', 'only runs enqueued at or after this time'),
            queryParam('cursor', 'nextCursor of the previous page'),
            queryParam('limit', 'page size (at most PODPREVIEW_API_PAGE_MAX)'),
          ],
          responses: { '200': { description: 'a page of runs', content: json(ref('RunPage')) }, ...problem('invalid_request', ...COMMON) },
        },
      },
      '/v1/episodes/{id}': {
        get: {
          operationId: 'getEpisode',
          summary: "An episode's newest run and result",
          parameters: [idParam],
          responses: { '200': { description: 'the episode', content: json(ref('Episode')) }, ...problem('invalid_request', 'not_found', ...COMMON) },
        },
      },
      '/v1/episodes/{id}/runs': {
        get: {
          operationId: 'listEpisodeRuns',
          summary: "An episode's runs, newest first",
          parameters: [idParam],
          responses: { '200': { description: 'its runs', content: json(ref('RunPage')) }, ...problem('invalid_request', 'not_found', ...COMMON) },
        },
      },
      '/v1/episodes/{id}/runs/{runId}': {
        get: {
          operationId: 'getRun',
          summary: 'One run',
          parameters: [idParam, runIdParam],
          responses: { '200': { description: 'the run', content: json(ref('Run')) }, ...problem('invalid_request', 'not_found', ...COMMON) },
        },
        delete: {
          operationId: 'cancelRun',
          summary: 'Cancel a queued or running run; workers stop it at the next stage boundary and it ends as `cancelled`',
          parameters: [idParam, runIdParam],
          responses: {
            '202': { description: 'cancellation requested', content: json(ref('CancelReceipt')) },
            ...problem('invalid_request', 'forbidden', 'not_found', 'run_ended', ...COMMON),
          },
        },
      },
      '/v1/episodes/{id}/clip': {
        get: {
          operationId: 'getEpisodeClip',
          summary: "The newest run's clip: the MP3 (Range requests answered with 206) or a redirect to a signed storage URL",
          parameters: [idParam, { name: 'Range', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'the clip', content: { 'audio/mpeg': { schema: { type: 'string', contentMediaType: 'audio/mpeg' } } } },
            '206': { description: 'part of the clip', content: { 'audio/mpeg': { schema: { type: 'string', contentMediaType: 'audio/mpeg' } } } },
            '302': { description: 'a signed, expiring URL of the clip in the bucket', headers: { Location: { schema: { type: 'string' } } } },
            ...problem('invalid_request', 'not_found', ...COMMON),
          },
        },
      },
      '/v1/episodes/{id}/runs/{runId}/clip': {
        get: {
          operationId: 'getRunClip',
          summary: "One run's clip, as /v1/episodes/{id}/clip",
          parameters: [idParam, runIdParam, { name: 'Range', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'the clip', content: { 'audio/mpeg': { schema: { type: 'string', contentMediaType: 'audio/mpeg' } } } },
            '206': { description: 'part of the clip', content: { 'audio/mpeg': { schema: { type: 'string', contentMediaType: 'audio/mpeg' } } } },
            '302': { description: 'a signed, expiring URL of the clip in the bucket', headers: { Location: { schema: { type: 'string' } } } },
            ...problem('invalid_request', 'not_found', ...COMMON),
          },
        },
      },
    },
  };
  return cached;
}

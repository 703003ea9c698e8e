import type { Response } from 'express';

/**
 * Errors as RFC 9457 problem details. `type` is a stable code clients can switch on; `detail`
 * is for people and never carries internal paths, file contents or stack traces.
 */
export const PROBLEMS = {
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_request: { status: 400, title: 'The request does not match the API' },
  input_not_allowed: { status: 400, title: 'The input is not in a place episodes may come from' },
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  forbidden: { status: 403, title: 'This credential may not do that' },
  host_not_allowed: { status: 421, title: 'This server does not answer for that host name' },
  callback_not_allowed: { status: 400, title: 'The callback URL may not be used' },
  not_found: { status: 404, title: 'Not found' },
  // 422 as the IETF Idempotency-Key draft says: the key is known, the request does not match it.
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used with another request body' },
  idempotency_key_in_use: { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  run_ended: { status: 409, title: 'The run has already ended' },
  run_in_flight_differs: { status: 409, title: 'The episode has a run in flight for another input or options; submit again when it has ended' },
  body_too_large: { status: 413, title: 'The body is larger than the limit' },
  unsupported_media_type: { status: 415, title: 'The body must be application/json' },
  rate_limited: { status: 429, title: 'Too many requests for this credential' },
  too_many_in_flight: { status: 429, title: 'This credential has as many runs of this kind in flight as it may' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'A dependency (queue or results store) is unavailable; retry later' },
} as const;
export type ProblemCode = keyof typeof PROBLEMS;

export const problemType = (code: ProblemCode) => `urn:podpreview:problem:${code}`;

export function sendProblem(
  res: Response,
  code: ProblemCode,
  extra: { detail?: string; errors?: { field: string; message: string }[]; [k: string]: unknown } = {},
): void {
  const { status, title } = PROBLEMS[code];
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: problemType(code), title, status, ...extra }));
}

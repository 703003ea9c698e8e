import { z } from 'zod';
import { ListQuery } from './api.schemas.ts';
import { PROBLEMS, type ProblemCode } from './problem.ts';

/** Pieces the routes describe themselves with (route.ts): references, bodies, problems. */
export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
export const json = (schema: object) => ({ 'application/json': { schema } });

/** The problems an operation answers with, grouped by HTTP status. */
export const problem = (...codes: ProblemCode[]) =>
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

/** What any credentialed route may answer. */
export const COMMON = ['unauthorized', 'host_not_allowed', 'rate_limited', 'internal', 'unavailable'] as const;

export const queryParam = (name: Exclude<keyof typeof ListQuery.shape, 'status'>, description: string) => {
  const { $schema: _s, ...schema } = z.toJSONSchema(ListQuery.shape[name], { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { name, in: 'query', required: false, description, schema };
};

const MP3 = { 'audio/mpeg': { schema: { type: 'string', contentMediaType: 'audio/mpeg' } } };
/** A clip route's answers: the file, part of it, or a signed URL. */
export const clipResponses = {
  '200': { description: 'the clip', content: MP3 },
  '206': { description: 'part of the clip', content: MP3 },
  '302': { description: 'a signed, expiring URL of the clip in the bucket', headers: { Location: { schema: { type: 'string' } } } },
  ...problem('invalid_request', 'not_found', ...COMMON),
};
export const rangeHeader = { name: 'Range', in: 'header', required: false, schema: { type: 'string' } };

import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { EpisodeId } from '@podpreview/shared';
import { RunId } from './api.schemas.ts';
import type { ApiContext } from './context.ts';

/** What the OpenAPI document says of one operation, besides its path parameters (those come from PATH_PARAMS). */
export interface OperationDoc {
  operationId: string;
  summary: string;
  parameters?: object[];
  requestBody?: object;
  responses: Record<string, object>;
  callbacks?: object;
}

/**
 * One operation of the API: where it answers, what the document says of it, and the handlers
 * that answer it. The routes are mounted and the document's paths written from the same list
 * (routes/index.ts), so neither can name an operation the other lacks.
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'delete';
  /** Express syntax: `/v1/episodes/:id`; the document writes `{id}`. */
  path: string;
  /** Answers without a credential (the probes and this document). */
  public?: true;
  doc: OperationDoc;
  handlers: (ctx: ApiContext) => RequestHandler[];
}

/**
 * Every path parameter: how it is checked on the way in (app.param, once per request, before
 * any handler) and how the document describes it. One schema for both: the pattern a client
 * reads is the one the API enforces.
 */
export const PATH_PARAMS = {
  id: { description: 'episode id', schema: EpisodeId },
  runId: { description: 'run id', schema: RunId },
} as const satisfies Record<string, { description: string; schema: z.ZodType<string> }>;

export type PathParam = keyof typeof PATH_PARAMS;

/** `/v1/episodes/:id/runs/:runId` → `/v1/episodes/{id}/runs/{runId}` and its parameters, in order. */
export function documentedPath(path: string): { path: string; params: PathParam[] } {
  const params: PathParam[] = [];
  const documented = path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    if (!(name in PATH_PARAMS)) throw new Error(`route ${path}: path parameter ${name} has no entry in PATH_PARAMS`);
    params.push(name as PathParam);
    return `{${name}}`;
  });
  return { path: documented, params };
}

export function pathParamDoc(name: PathParam): object {
  const { $schema: _s, ...schema } = z.toJSONSchema(PATH_PARAMS[name].schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return { name, in: 'path', required: true, description: PATH_PARAMS[name].description, schema };
}

/** A path parameter of this request, already checked against PATH_PARAMS (createApi's app.param). */
export const pathParam = (req: Request, name: PathParam): string => String(req.params[name]);

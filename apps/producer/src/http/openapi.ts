import { z } from 'zod';
import {
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
  SubmitRequest,
  Variant,
} from './api.schemas.ts';
import { documentedPath, pathParamDoc, type RouteSpec } from './route.ts';
import { API_ROUTES } from './routes/index.ts';

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

/** The document's paths, from the routes the app mounts: their path parameters from PATH_PARAMS, public ones without security. */
function pathsOf(routes: readonly RouteSpec[]): Record<string, Record<string, object>> {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const { path, params } = documentedPath(route.path);
    const { parameters = [], ...doc } = route.doc;
    const operation = {
      ...doc,
      ...(route.public ? { security: [] } : {}),
      ...(params.length || parameters.length ? { parameters: [...params.map(pathParamDoc), ...parameters] } : {}),
    };
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return paths;
}

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
    paths: pathsOf(API_ROUTES),
  };
  return cached;
}

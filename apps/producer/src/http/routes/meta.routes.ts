import { healthz, readyz } from '../health.ts';
import { json, ref } from '../doc.ts';
import type { RouteSpec } from '../route.ts';

/** The probes and this API's description: public, so load balancers and generators need no credential. */
export const META_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    public: true,
    doc: {
      operationId: 'healthz',
      summary: 'Liveness: the process answers',
      responses: { '200': { description: 'alive', content: json(ref('Health')) } },
    },
    handlers: () => [healthz],
  },
  {
    method: 'get',
    path: '/readyz',
    public: true,
    doc: {
      operationId: 'readyz',
      summary: 'Readiness: Redis and the results store answer',
      responses: {
        '200': { description: 'ready', content: json(ref('Readiness')) },
        '503': { description: 'a dependency is down', headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: json(ref('Readiness')) },
      },
    },
    handlers: (ctx) => [readyz(ctx.queues, ctx.results, ctx.config.readyzCacheMs)],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    public: true,
    doc: {
      operationId: 'openapi',
      summary: 'This document',
      responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
    },
    handlers: (ctx) => [(_req, res) => void res.json(ctx.document())],
  },
];

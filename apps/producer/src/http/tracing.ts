import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { type Config, TRACER_NAME } from '@podpreview/shared';

/**
 * One server span per request while tracing is on, active for everything the request does: an
 * episode submitted here is enqueued under it, so its run's trace starts at the request. A
 * caller's `traceparent` is honoured (its trace continues here). Named by the matched route
 * once answered, never by the path (ids do not belong in span names).
 */
export function traceRequests(config: Pick<Config, 'tracing'>): RequestHandler {
  if (!config.tracing.enabled) return (_req, _res, next) => next();
  const tracer = trace.getTracer(TRACER_NAME);
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    tracer.startActiveSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent, (span) => {
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : undefined;
        if (route) span.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      next();
    });
  };
}

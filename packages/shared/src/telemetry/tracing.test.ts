import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { startTracing } from './tracing.ts';

describe('startTracing', () => {
  it('is off without an endpoint or PODPREVIEW_TRACING=on, and loads nothing then', async () => {
    expect(await startTracing(loadConfig({}), 'test')).toBeUndefined();
    expect(loadConfig({ PODPREVIEW_TRACING: 'on' }).tracing.enabled).toBe(true);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', PODPREVIEW_TRACING: 'off' }).tracing.enabled).toBe(false);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
  });

  it('exports spans over OTLP/HTTP to the configured collector, with its headers and the service name', async () => {
    const received: { url: string; auth: string | undefined; body: string }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', auth: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    try {
      const config = loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-token',
        OTEL_SERVICE_NAME: 'podpreview-test',
      });
      const tracing = await startTracing(config, 'podpreview-worker');
      expect(tracing).toBeDefined();
      trace.getTracer('test').startActiveSpan('stage preprocess', (span) => span.end());
      // Shutting down flushes the batch.
      await tracing!.shutdown();
      expect(received).toHaveLength(1);
      expect(received[0]!.url).toBe('/v1/traces');
      expect(received[0]!.auth).toBe('Bearer collector-token');
      // OTLP/HTTP's protobuf or JSON encoding: either way the names are in it.
      expect(received[0]!.body).toContain('stage preprocess');
      expect(received[0]!.body).toContain('podpreview-test');
    } finally {
      collector.close();
    }
  });
});

import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { prettyFactory } from 'pino-pretty';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.ts';
import { createLogger, prettyOptions } from './logger.ts';
import { registerTracing } from './telemetry/tracing.ts';

/** A logger writing JSON lines into an array. */
function capture(o: { gcpProject?: string } = {}) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger('debug', { app: 'test' }, { ...o, destination }) };
}
const flush = () => new Promise((r) => setImmediate(r));

describe('createLogger', () => {
  it('writes what Cloud Logging reads: severity, message, an ISO time, and stack_trace on errors', async () => {
    const { lines, log } = capture();
    log.warn({ runId: 'r1' }, 'slow stage');
    const err = new Error('boom');
    log.error({ err: err.message, stack: err.stack }, 'run failed');
    log.debug('details');
    await flush();
    expect(lines[0]).toMatchObject({ severity: 'WARNING', message: 'slow stage', runId: 'r1', app: 'test' });
    expect(lines[0]).not.toHaveProperty('level');
    expect(lines[0]).not.toHaveProperty('msg');
    expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[1]).toMatchObject({ severity: 'ERROR', message: 'run failed' });
    expect(String(lines[1]!.stack_trace)).toMatch(/^Error: boom\n\s+at /);
    expect(lines[2]).toMatchObject({ severity: 'DEBUG' });
    expect(lines[0]).not.toHaveProperty('logging.googleapis.com/trace');
  });

  it('names the active trace and span as Cloud Logging links them', async () => {
    const tracing = await registerTracing(loadConfig({ PODPREVIEW_TRACING: 'on' }), 'test', () => []);
    try {
      const { lines, log } = capture({ gcpProject: 'proj-1' });
      trace.getTracer('test').startActiveSpan('work', (active) => {
        log.info('inside');
        active.end();
      });
      log.info('outside');
      await flush();
      const inside = lines[0]!;
      expect(inside['logging.googleapis.com/trace']).toMatch(/^projects\/proj-1\/traces\/[0-9a-f]{32}$/);
      expect(inside['logging.googleapis.com/spanId']).toMatch(/^[0-9a-f]{16}$/);
      expect(inside['logging.googleapis.com/trace_sampled']).toBe(true);
      expect(lines[1]).not.toHaveProperty('logging.googleapis.com/trace');
    } finally {
      await tracing?.shutdown();
    }
  });

  it('pretty-prints without colours when NO_COLOR is set', () => {
    const line = JSON.stringify({ level: 40, time: Date.now(), message: 'slow stage', runId: 'r1' });
    const plain = prettyFactory(prettyOptions(loadConfig({ NO_COLOR: '1' })))(line);
    const coloured = prettyFactory(prettyOptions(loadConfig({})))(line);
    expect(plain).toContain('slow stage');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is checked
    expect(plain).not.toMatch(/\u001b\[/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is checked
    expect(coloured).toMatch(/\u001b\[/);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, type PrivateRedis, type StageQueues, startPrivateRedis, waitForRuns } from '@podpreview/runs';
import { type StageWorkers, startStageWorkers } from '@podpreview/pipeline/worker';
import { trivialStageHandlers } from '@podpreview/pipeline/testing';
import { type Config, createLogger, loadConfig, registerTracing, type ResultsSink, STAGE_NAMES, type Tracing } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { createApi } from './api.ts';

// One run's spans, collected in memory: the API request, BullMQ's add and process spans of every
// hop (bullmq-otel, context carried in the jobs) and each stage function's own span, with a real
// redis-server and the real runtime; the stage bodies are trivial (the chain is what is traced).

const handlers = trivialStageHandlers();

let redis: PrivateRedis;
let dir: string;
let config: Config;
let queues: StageQueues;
let results: ResultsSink;
let workers: StageWorkers;
let tracing: Tracing | undefined;
let server: Server;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  redis = await startPrivateRedis();
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-tracing-'));
  config = loadConfig({
    REDIS_URL: redis.url,
    PODPREVIEW_DATA_DIR: dir,
    PODPREVIEW_INPUT_ROOTS: '/srv/podcasts',
    PODPREVIEW_TRACING: 'on',
    LOG_LEVEL: 'silent',
  });
  tracing = await registerTracing(config, 'podpreview-test', (sdk) => [new sdk.SimpleSpanProcessor({ exporter })]);
  queues = createQueues(createRedis(redis.url, 'client'), config);
  results = createResultsSink(config);
  workers = await startStageWorkers({ config, redis: redis.url, stages: [...STAGE_NAMES], handlers, results, log: createLogger('silent') });
  const app = createApi({ config, queues, results, log: createLogger('silent') });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await workers?.stop();
  if (queues) await closeQueues(queues);
  await results?.close();
  await tracing?.shutdown();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('one trace per run', () => {
  it('roots at the API request and holds a span per stage, each hop under the one before', async () => {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/episodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'traced-1', audioUri: '/srv/podcasts/traced.mp3' }),
    });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const [status] = await waitForRuns(queues, [runId], { timeoutMs: 60_000 });
    expect(status!.state).toBe('succeeded');

    // BullMQ ends the sink's process span once the job is completed, just after the run's end is recorded.
    let spans: ReadableSpan[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      spans = exporter.getFinishedSpans();
      if (spans.some((s) => s.name === 'process sink')) break;
    }
    const root = spans.find((s) => s.name === 'POST /v1/episodes');
    expect(root, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(root!.kind).toBe(SpanKind.SERVER);
    expect(root!.parentSpanContext).toBeUndefined();
    const traceId = root!.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
    /** The names from a span up to the root, following parent ids; a parent missing from the trace breaks the chain. */
    const chain = (s: ReadableSpan): string[] => {
      const names = [s.name];
      for (let p = s.parentSpanContext; p; ) {
        const parent = byId.get(p.spanId);
        if (!parent) return [...names, `<missing ${p.spanId}>`];
        names.push(parent.name);
        p = parent.parentSpanContext;
      }
      return names;
    };
    expect(inTrace.filter((s) => !s.parentSpanContext)).toEqual([root]);
    for (const [i, stage] of STAGE_NAMES.entries()) {
      const stageSpans = inTrace.filter((s) => s.name === `stage ${stage}`);
      expect(stageSpans, stage).toHaveLength(1);
      expect(stageSpans[0]!.attributes).toMatchObject({ 'podpreview.stage': stage, 'podpreview.run_id': runId, 'podpreview.episode_id': 'traced-1' });
      const up = chain(stageSpans[0]!);
      // Every stage's span sits under its job's process span, which sits under the hop that added it, up to the request.
      expect(up[1]).toBe(`process ${stage}`);
      expect(up.at(-1)).toBe('POST /v1/episodes');
      for (const before of STAGE_NAMES.slice(0, i)) expect(up, `${stage} under ${before}`).toContain(`process ${before}`);
      expect(up.some((n) => n.startsWith('<missing'))).toBe(false);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Metrics, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, type PrivateRedis, type StageQueues, startPrivateRedis } from '@podpreview/runs';
import { loadConfig } from '@podpreview/shared';
import { renderAlertRules } from './prometheus.rules.ts';
import { ALERT_NAMES } from './prometheus.rules.ts';
import { bullmqMetrics } from './queue-metrics.ts';
import { minuteCounts, queueCounts, watchedQueues } from './queue-stats.ts';
import { dashboardSeries, type SeriesPoint } from './series.ts';

const meta = (count: number, prevTS: number, prevCount: number, data: number[]): Metrics => ({ meta: { count, prevTS, prevCount }, data, count: data.length });
const MIN = 60_000;

describe('minuteCounts (BullMQ metrics, newest minute first)', () => {
  it('puts the lazily closed minute, the whole minutes before it and the silent minutes since where they belong', () => {
    const now = 100 * MIN + 30_000;
    // Last finish in minute 97 (3 there so far), minutes 96 and 95 had 4 and 0, minute 94 had 7.
    expect(minuteCounts(meta(20, 97 * MIN + 5000, 17, [4, 0, 7]), now, 6)).toEqual([0, 0, 0, 3, 4, 0]);
    expect(minuteCounts(meta(20, 97 * MIN + 5000, 17, [4, 0, 7]), now, 8)).toEqual([0, 0, 0, 3, 4, 0, 7, 0]);
    // Finishing now: the current minute.
    expect(minuteCounts(meta(2, now - 1000, 0, []), now, 3)).toEqual([2, 0, 0]);
    expect(minuteCounts(meta(0, 0, 0, []), now, 2)).toEqual([0, 0]);
  });
});

describe('queue metrics from BullMQ itself (real redis-server, real workers)', () => {
  let redis: PrivateRedis;
  let queues: StageQueues;
  const config = loadConfig({
    PODPREVIEW_QUEUE_PREFIX: `m${randomUUID().slice(0, 6)}`,
    PODPREVIEW_FALLBACK_QUEUE_PREFIX: 'fb',
    PODPREVIEW_SHADOW_QUEUE_PREFIX: 'stg',
  });

  beforeAll(async () => {
    redis = await startPrivateRedis();
    queues = createQueues(createRedis(redis.url, 'client'), config);
    // Three jobs done and one failed in sink, with the metrics option the stage workers use.
    const connection = createRedis(redis.url, 'worker');
    const worker = new Worker(
      'sink',
      async (job) => {
        if (job.data.fail) throw new UnrecoverableError('no');
        return 'ok';
      },
      { connection, prefix: config.queuePrefix, metrics: { maxDataPoints: config.queueMetricsMaxPoints } },
    );
    let finished = 0;
    const all = new Promise<void>((resolve) => {
      const tick = () => ++finished === 4 && resolve();
      worker.on('completed', tick);
      worker.on('failed', tick);
    });
    for (const fail of [false, false, true, false]) await queues.sink.add('sink', { fail });
    await queues.preprocess.add('preprocess', {}, { priority: 1 });
    await queues.fallback!.preprocess.add('preprocess', {});
    await all;
    await worker.close();
    connection.disconnect();
  });

  afterAll(async () => {
    if (queues) await closeQueues(queues);
    await redis?.stop();
  });

  it('watches every queue: stages and callbacks of this variant and the fallback, the shadow’s stages', () => {
    const keys = watchedQueues(queues).map((w) => w.key);
    expect(keys).toContain('production/callbacks');
    expect(keys).toContain('fallback/callbacks');
    expect(keys).toContain('fallback/ensemble-a');
    expect(keys).toContain('staging/sink');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('counts exactly from getJobCounts and rates from getMetrics', async () => {
    const sink = await queueCounts(queues.sink, 15);
    expect(sink).toMatchObject({ waiting: 0, failed: 1, failureRate: 0.25 });
    expect((await queueCounts(queues.preprocess, 15)).waiting).toBe(1);
    const [completed] = await Promise.all([queues.sink.getMetrics('completed')]);
    expect(minuteCounts(completed, Date.now(), 2).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('exports BullMQ’s Prometheus metrics for every queue, one HELP/TYPE per family, labelled by variant (promtool check metrics)', async () => {
    const text = await bullmqMetrics(watchedQueues(queues));
    expect(text).toMatch(/^bullmq_job_completed_total\{queue="sink", variant="production"\} 3$/m);
    expect(text).toMatch(/^bullmq_job_failed_total\{queue="sink", variant="production"\} 1$/m);
    expect(text).toMatch(/^bullmq_job_count\{queue="preprocess", state="prioritized", variant="production"\} 1$/m);
    expect(text).toMatch(/^bullmq_job_count\{queue="preprocess", state="waiting", variant="fallback"\} 1$/m);
    expect(text).toMatch(/^bullmq_job_count\{queue="callbacks", state="waiting", variant="fallback"\} 0$/m);
    expect(text.match(/^# TYPE bullmq_job_count /gm)).toHaveLength(1);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.error, 'promtool is missing: npm test installs it (apt-get install -y prometheus)').toBeUndefined();
    // promtool exits 3 for lint findings (counters without a _total suffix are BullMQ's naming, not ours); 1 for a broken exposition.
    expect(check.status, check.stdout + check.stderr).not.toBe(1);
    expect(check.stderr).not.toMatch(/error while linting|text format parsing error/);
  });

  it('keeps one chart point per minute in Redis, however many dashboards record it, and no more than the bound', async () => {
    const series = dashboardSeries(queues.redis, queues.prefix, 3);
    const point = (atMs: number, waiting: number): SeriesPoint => ({
      atMs,
      backlog: { preprocess: waiting, 'ensemble-a': 0, 'ensemble-b': 0, selection: 0, sink: 0 },
      ingestP50Ms: 1000,
      ingestP95Ms: null,
      stageP95Ms: { preprocess: 10, 'ensemble-a': null, 'ensemble-b': null, selection: null, sink: 5 },
    });
    expect(await series.record(point(MIN, 1))).toBe(true);
    expect(await series.record(point(MIN, 99))).toBe(false);
    for (const m of [2, 3, 4]) await series.record(point(m * MIN, m));
    const kept = await series.since(0);
    expect(kept.map((p) => [p.atMs / MIN, p.backlog.preprocess])).toEqual([
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(kept[0]).toMatchObject({ ingestP50Ms: 1000, ingestP95Ms: null, stageP95Ms: { preprocess: 10, 'ensemble-a': null, sink: 5 } });
  });
});

describe('alert rules', () => {
  it('link every alert to its section of infra/RUNBOOK.md', () => {
    const runbook = readFileSync(new URL('../../../infra/RUNBOOK.md', import.meta.url), 'utf8');
    const headings = new Set([...runbook.matchAll(/^## (\S+)$/gm)].map((m) => m[1]!.toLowerCase()));
    const rules = renderAlertRules(loadConfig({}).alerts);
    const urls = [...rules.matchAll(/runbook_url: infra\/RUNBOOK\.md#(\S+)/g)].map((m) => m[1]!);
    expect(new Set(urls)).toEqual(new Set(Object.values(ALERT_NAMES).map((n) => n.toLowerCase())));
    for (const anchor of urls) expect(headings.has(anchor), anchor).toBe(true);
  });

  it('refuse a latency threshold no histogram bucket can reach', () => {
    expect(() => renderAlertRules(loadConfig({ PODPREVIEW_ALERT_STAGE_P95_CRIT_SEC: '5000' }).alerts)).toThrow(/highest bucket/);
    expect(() => renderAlertRules(loadConfig({ PODPREVIEW_ALERT_INGEST_P95_CRIT_SEC: '7200' }).alerts)).toThrow(/highest bucket/);
  });
});

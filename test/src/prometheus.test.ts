import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createDashboard } from '@podpreview/dashboard/app';
import { type Monitor, renderAlertRules, startMonitor } from '@podpreview/ops';
import { closeQueues, createQueues, createRedis, enqueueEpisode, freePort, type StageQueues } from '@podpreview/runs';
import { EnqueueRequest, loadConfig, type ResultsSink } from '@podpreview/shared';
import { createBlobStore, createResultsSink } from '@podpreview/storage';
import { REPO_ROOT, SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

const RULES = path.join(REPO_ROOT, 'infra', 'prometheus', 'alerts.rules.yml');
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const hasPromtool = has('promtool');
const hasPrometheus = has('prometheus');
const PROMETHEUS_MISSING = 'promtool or prometheus is missing: npm test installs them (apt-get install -y prometheus)';

describe('alert rules (infra/prometheus)', () => {
  it('are what the configured thresholds render (run `npm run rules` after changing them)', async () => {
    const config = loadConfig({});
    expect(await readFile(RULES, 'utf8')).toBe(renderAlertRules(config.alerts, { variant: config.variant, deadLetterMax: config.deadLetterMax }));
  });

  it('pass promtool check and the unit tests in alerts.test.yml', () => {
    if (!hasPromtool) throw new Error(PROMETHEUS_MISSING);
    const check = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', path.join(REPO_ROOT, 'infra', 'prometheus', 'alerts.test.yml')], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/SUCCESS/);
  });
});

describe('a real Prometheus scraping the dashboard and a worker', () => {
  let env: TestEnv;
  let queues: StageQueues;
  let results: ResultsSink;
  let monitor: Monitor;
  let dashboard: Server;
  let worker: ChildProcess;
  let prometheus: ChildProcess;
  let promUrl: string;
  let dir: string;
  const USER = { name: 'prometheus', password: 'scrape-me-please' };

  beforeAll(async () => {
    if (!hasPrometheus) throw new Error(PROMETHEUS_MISSING);
    dir = await mkdtemp(path.join(tmpdir(), 'podpreview-prom-'));
    env = await startTestEnv({ PODPREVIEW_DASHBOARD_USERS: `${USER.name}:${USER.password}`, PODPREVIEW_DASHBOARD_REFRESH_MS: '1000' });
    queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
    results = createResultsSink(env.config);
    monitor = startMonitor({ queues, results, config: env.config, log: env.log });
    const app = createDashboard({ config: env.config, queues, results, blobs: createBlobStore(env.config), monitor, log: env.log });
    dashboard = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    // A worker for the sink only, so the preprocess jobs below stay waiting.
    const workerPort = await freePort();
    worker = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/workers/bin/podpreview-worker.mjs'), '--stages', 'sink'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env, PODPREVIEW_WORKER_METRICS_PORT: String(workerPort) },
      stdio: 'ignore',
    });
    for (let i = 0; i < 5; i++)
      await enqueueEpisode(queues, env.config, EnqueueRequest.parse({ id: `waiting-${i}`, audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') }));
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    await writeFile(
      path.join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: ['${RULES}']
scrape_configs:
  - job_name: dashboard
    basic_auth: { username: ${USER.name}, password: ${USER.password} }
    static_configs: [{ targets: ['127.0.0.1:${(dashboard.address() as AddressInfo).port}'] }]
  - job_name: worker
    static_configs: [{ targets: ['127.0.0.1:${workerPort}'] }]
`,
    );
    execFileSync('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')]);
    prometheus = spawn(
      'prometheus',
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    monitor?.stop();
    dashboard?.closeAllConnections();
    await new Promise((r) => (dashboard ? dashboard.close(r) : r(undefined)));
    await results?.close();
    if (queues) await closeQueues(queues);
    await env?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
    if (!res?.ok) return [];
    return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  };
  const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`Prometheus never returned ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  it('returns BullMQ’s own counts of a queue the test filled, the worker count, and the worker’s own metrics', async () => {
    // BullMQ's export (Queue.exportPrometheusMetrics) through the dashboard: priority jobs are "prioritized".
    const counted = await eventually('bullmq_job_count', async () => {
      const r = (await query('bullmq_job_count{queue="preprocess",state="prioritized",variant="production"}'))[0];
      return r && Number(r.value[1]) === 5 ? r : undefined;
    });
    expect(counted.metric.job).toBe('dashboard');
    // Its counters too, and the callbacks queue beside the stages.
    expect(
      await eventually('bullmq_job_completed_total', async () => (await query('bullmq_job_completed_total{queue="sink",variant="production"}'))[0]),
    ).toBeDefined();
    expect(await eventually('callbacks queue', async () => (await query('bullmq_job_count{queue="callbacks",state="waiting"}'))[0])).toBeDefined();
    const waiting = await eventually('podpreview_queue_waiting', async () => (await query('podpreview_queue_waiting{stage="preprocess"}'))[0]);
    expect(Number(waiting.value[1])).toBe(5);
    const workers = await eventually('sink workers', async () => {
      const r = (await query('podpreview_queue_workers{stage="sink"}'))[0];
      return r && Number(r.value[1]) === 1 ? r : undefined;
    });
    expect(Number(workers.value[1])).toBe(1);
    const up = await eventually('worker up', async () => {
      const r = (await query('up{job="worker"}'))[0];
      return r && Number(r.value[1]) === 1 ? r : undefined;
    });
    expect(up).toBeDefined();
    // The generated rules are loaded, every one of them, and the backlog (5) is far below every threshold.
    const rendered = parse(await readFile(RULES, 'utf8')) as { groups: { rules: unknown[] }[] };
    const rules = await eventually('rules', async () => {
      const res = await fetch(`${promUrl}/api/v1/rules`).catch(() => undefined);
      const body = res?.ok ? ((await res.json()) as { data: { groups: { rules: { state: string }[] }[] } }) : undefined;
      return body && body.data.groups.length === rendered.groups.length ? body : undefined;
    });
    expect(rules.data.groups.flatMap((g) => g.rules)).toHaveLength(rendered.groups.flatMap((g) => g.rules).length);
    expect(rules.data.groups.flatMap((g) => g.rules).filter((r) => r.state === 'firing')).toEqual([]);
  });
});

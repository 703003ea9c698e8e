import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboard } from '@podpreview/dashboard/app';
import { type Monitor, startMonitor } from '@podpreview/ops';
import { closeQueues, createQueues, createRedis, enqueueEpisode, queueBacklog, type StageQueues, waitForRuns } from '@podpreview/runs';
import { type Fleet, startFleet } from '@podpreview/pipeline/worker';
import { EnqueueRequest, type ResultsSink, STAGE_NAMES } from '@podpreview/shared';
import { createBlobStore, createResultsSink } from '@podpreview/storage';
import { REPO_ROOT, SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

// The dashboard as a person uses it: a real Redis and workers, the dashboard server, and
// Debian's Chromium driven by playwright-core. Screenshots land in test/output/screenshots.

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'test', 'output', 'screenshots');
const USER = { name: 'oncall', password: 'correct-horse-battery' };

let env: TestEnv;
let queues: StageQueues;
let fleet: Fleet | undefined;
let monitor: Monitor;
let results: ResultsSink;
let server: Server;
let base: string;
let browser: Browser;
let hook: Server;
const hookCalls: { text: string; stage: string; to: string }[] = [];
const runs: { id: string; runId: string }[] = [];

beforeAll(async () => {
  if (!hasChromium) throw new Error(`${CHROMIUM} is missing: npm test installs Debian's chromium (apt-get install -y chromium)`);
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hookCalls.push(JSON.parse(body) as { text: string; stage: string; to: string });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  env = await startTestEnv({
    PODPREVIEW_DASHBOARD_USERS: `${USER.name}:${USER.password}`,
    // Preprocess turns warn at 3 waiting jobs and critical at 6; the rest keep the defaults.
    PODPREVIEW_ALERT_OVERRIDES: JSON.stringify({ preprocess: { backlogWarn: 3, backlogCrit: 6 } }),
    PODPREVIEW_ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
    PODPREVIEW_DASHBOARD_REFRESH_MS: '60000',
    // A fallback and a staging variant on the same Redis: their queues show beside this variant's.
    PODPREVIEW_FALLBACK_QUEUE_PREFIX: 'fallback',
    PODPREVIEW_SHADOW_QUEUE_PREFIX: 'staging',
  });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  fleet = await startFleet(env.config, env.redis.url, [...STAGE_NAMES], env.log);
  for (const [id, file, vtt] of [
    ['news-brief', 'news-brief.mp3', 'news-brief.vtt'],
    ['tech-talk', 'tech-talk.mp3', null],
  ] as const) {
    const req = EnqueueRequest.parse({ id, audioUri: path.join(SAMPLES_DIR, file), ...(vtt ? { transcriptUri: path.join(SAMPLES_DIR, vtt) } : {}) });
    runs.push({ id, runId: (await enqueueEpisode(queues, env.config, req)).runId });
  }
  await waitForRuns(
    queues,
    runs.map((r) => r.runId),
    { timeoutMs: 90_000 },
  );
  // The dashboard's own results handle: it outlives the workers stopped below.
  results = createResultsSink(env.config);
  monitor = startMonitor({ queues, results, config: env.config, log: env.log });
  const app = createDashboard({ config: env.config, queues, results, blobs: createBlobStore(env.config), monitor, log: env.log });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  monitor?.stop();
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await fleet?.stop();
  await results?.close();
  if (queues) await closeQueues(queues);
  await env?.cleanup();
  hook?.close();
});

const asUser = () => browser.newPage({ httpCredentials: { username: USER.name, password: USER.password } });

describe('dashboard in a browser', () => {
  it('refuses every page without the credential, Bull Board included', async () => {
    for (const p of ['/', '/admin/queues', '/episodes/news-brief', '/metrics']) expect((await fetch(`${base}${p}`)).status, p).toBe(401);
    // A browser without the credential is refused too (headless Chromium cannot prompt for one).
    const page = await browser.newPage();
    const refused = await page.goto(`${base}/admin/queues`).then(
      (res) => String(res?.status()),
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/401|ERR_INVALID_AUTH_CREDENTIALS/);
    await page.close();
  });

  it('lists every stage queue with the counts the queues hold', async () => {
    const page = await asUser();
    await page.goto(`${base}/`);
    const backlog = await queueBacklog(queues);
    for (const b of backlog) {
      const row = page.locator(`tr[data-stage="${b.stage}"]`);
      expect(await row.locator('[data-field="waiting"]').textContent()).toBe(String(b.waiting));
      expect(await row.locator('[data-field="failed"]').textContent()).toBe(String(b.failed));
      expect(await row.locator('[data-field="workers"]').textContent()).toBe(String(b.workers));
      expect(await row.locator('[data-field="alert"]').textContent()).toBe('ok');
    }
    expect(await page.locator('#latency').textContent()).toMatch(/over 2 runs/);
    // Every other queue: the callbacks queues, the fallback's stages, staging's stages (each episode was shadowed there, and no staging worker runs).
    for (const [key, queue] of [
      ['production/callbacks', queues.callbacks],
      ['fallback/preprocess', queues.fallback!.preprocess],
      ['fallback/callbacks', queues.fallback!.callbacks],
      ['staging/preprocess', queues.shadow!.preprocess],
      ['staging/sink', queues.shadow!.sink],
    ] as const) {
      const row = page.locator(`#other-queues tr[data-queue="${key}"]`);
      const counts = await queue.getJobCounts('wait', 'prioritized');
      expect(await row.locator('[data-field="waiting"]').textContent(), key).toBe(String((counts.wait ?? 0) + (counts.prioritized ?? 0)));
    }
    expect(await page.locator('#other-queues tr[data-queue="staging/preprocess"] [data-field="waiting"]').textContent()).toBe('2');
    // Three charts over the hour and three over the day, drawn on the server.
    for (const window of ['hour', 'day']) {
      for (const chart of ['backlog', 'throughput', 'latency']) {
        expect(await page.locator(`svg.chart[data-chart="${chart}"][data-window="${window}"]`).count(), `${chart} ${window}`).toBe(1);
      }
    }
    // Throughput from BullMQ's own metrics: both runs went through every stage this hour.
    for (const stage of STAGE_NAMES) {
      const done = page.locator(`svg.chart[data-chart="throughput"][data-window="hour"] path[data-series="${stage}"]`);
      expect(await done.getAttribute('data-sum'), stage).toBe('2');
    }
    const backlogNow = page.locator('svg.chart[data-chart="backlog"][data-window="hour"] path[data-series="preprocess"]');
    expect(await backlogNow.getAttribute('data-last')).toBe(String(backlog.find((b) => b.stage === 'preprocess')!.waiting));
    const p95 = page.locator('svg.chart[data-chart="latency"][data-window="hour"] path[data-series="ingest→preview p95"]');
    expect(Number(await p95.getAttribute('data-last'))).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'overview.png'), fullPage: true });
    await page.locator('#charts').screenshot({ path: path.join(SHOTS, 'overview-charts.png') });
    await page.close();
  });

  it('shows the episode’s timeline with the chosen window, its models, and a clip that plays', async () => {
    const page = await asUser();
    await page.goto(`${base}/episodes/news-brief`);
    expect(await page.locator('#state').textContent()).toBe('succeeded');
    expect(await page.locator('svg.timeline rect.chosen').count()).toBe(1);
    expect(await page.locator('svg.timeline polyline[data-track="speech"]').count()).toBe(1);
    expect(await page.locator('#models').textContent()).toContain('silero-vad@6.2+batched');
    const duration = await page.locator('audio#clip').evaluate(
      (a: HTMLAudioElement) =>
        new Promise<number>((resolve, reject) => {
          if (a.readyState >= 1) resolve(a.duration);
          a.addEventListener('loadedmetadata', () => resolve(a.duration));
          a.addEventListener('error', () => reject(new Error(`audio error ${a.error?.code}`)));
        }),
    );
    expect(duration).toBeGreaterThan(55);
    expect(duration).toBeLessThan(62);
    // Seeking asks for a byte range, which the clip route answers.
    const ranged = await page.request.get(`${base}/episodes/news-brief/clip`, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status()).toBe(206);
    expect((await ranged.body()).length).toBe(100);
    await page.screenshot({ path: path.join(SHOTS, 'episode.png'), fullPage: true });
    await page.close();
  });

  it('Bull Board loads with the credential and shows every queue: stages, callbacks, the fallback’s and staging’s', async () => {
    const page = await asUser();
    await page.goto(`${base}/admin/queues`);
    await page.waitForSelector('text=preprocess', { timeout: 30_000 });
    // The menu fills in as Bull Board's API answers: wait for each name.
    for (const name of ['callbacks', 'fallback callbacks', 'fallback preprocess', 'staging sink']) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 30_000 });
    }
    await page.screenshot({ path: path.join(SHOTS, 'bull-board.png'), fullPage: true });
    await page.close();
  });

  it('turns a queue critical when its backlog passes the threshold, calls the webhook once, and clears with hysteresis', async () => {
    await fleet!.stop();
    fleet = undefined;
    for (let i = 0; i < 7; i++)
      await enqueueEpisode(queues, env.config, EnqueueRequest.parse({ id: `backlog-${i}`, audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') }));
    await monitor.refresh();
    await monitor.refresh(); // the same state again: no second call
    const page = await asUser();
    await page.goto(`${base}/`);
    const row = page.locator('tr[data-stage="preprocess"]');
    expect(await row.locator('[data-field="alert"]').textContent()).toBe('critical');
    expect(await row.getAttribute('class')).toBe('critical');
    expect(await row.textContent()).toMatch(/backlog 7 ≥ 6 \(critical\)/);
    await page.screenshot({ path: path.join(SHOTS, 'overview-critical.png'), fullPage: true });
    await page.close();
    const calls = hookCalls.filter((c) => c.stage === 'preprocess');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ to: 'critical' });
    expect(calls[0]!.text).toContain('preprocess: ok → critical');
    // Down to 5 (under critical 6, but above 6 × 0.8): still critical, no call; down to 2: ok.
    const waiting = await queues.preprocess.getPrioritized(0, 10);
    await waiting[0]!.remove();
    await waiting[1]!.remove();
    expect((await monitor.refresh()).queues.find((q) => q.stage === 'preprocess')!.alert.level).toBe('critical');
    for (const j of waiting.slice(2, 5)) await j.remove();
    expect((await monitor.refresh()).queues.find((q) => q.stage === 'preprocess')!.alert.level).toBe('ok');
    expect(hookCalls.filter((c) => c.stage === 'preprocess').map((c) => c.to)).toEqual(['critical', 'ok']);
  });
});

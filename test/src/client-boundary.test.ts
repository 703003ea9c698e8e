import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startTestEnv, type TestEnv } from './harness.ts';

// The producer, the HTTP API and the dashboard import only the client side of the pipeline:
// they must never load the models, the audio tooling or the stage code. Each case runs a real
// process with a resolve hook that records every module it loads.

const RECORDER = path.join(REPO_ROOT, 'test', 'src', 'fixtures', 'record-loads.mjs');
const CLI = path.join(REPO_ROOT, 'apps', 'producer', 'bin', 'podpreview.mjs');

/** Modules of the worker side; none may load in a client process. */
const WORKER_ONLY = [
  '/node_modules/onnxruntime-node/',
  '/node_modules/wink-nlp/',
  '/node_modules/wink-eng-lite-web-model/',
  '/packages/models/',
  '/packages/audio/',
  '/packages/pipeline/src/stages/',
  '/packages/pipeline/src/runtime/',
  '/packages/pipeline/src/worker/',
];
/** Storage SDKs: only commands that read results or blobs need them. */
const STORAGE_SDKS = ['/node_modules/@google-cloud/', '/node_modules/@duckdb/'];

let env: TestEnv;
let dir: string;

beforeAll(async () => {
  env = await startTestEnv();
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-loads-'));
});

afterAll(async () => {
  await env?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Loaded {
  code: number | null;
  urls: string[];
  stderr: string;
}

/**
 * Runs `node --import tsx --import <recorder> …args` and returns what it loaded. `until`, when
 * given, is a line on stderr after which the process is sent SIGTERM (for servers).
 */
async function loadsOf(name: string, args: string[], o: { envExtra?: Record<string, string>; until?: RegExp } = {}): Promise<Loaded> {
  const out = path.join(dir, `${name}.txt`);
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORDER, ...args], {
    cwd: path.join(REPO_ROOT, 'test'),
    // From the sources, so the recorder sees every module by its own path (a bundle hides
    // which of our modules it holds; the bundled run is checked separately below).
    env: { ...process.env, ...env.env, PODPREVIEW_RUN_SOURCES: '1', ...o.envExtra, PODPREVIEW_RECORD_LOADS: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (o.until?.test(stderr)) child.kill('SIGTERM');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  const urls = (await readFile(out, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, urls, stderr };
}

// The manifest the client side reads (doctor) comes from @podpreview/model-manifest, outside
// packages/models: nothing under packages/models may load.
const hits = (urls: string[], fragments: string[]) => [...new Set(urls.filter((u) => fragments.some((f) => u.includes(f))))];

describe('the client side of the pipeline', () => {
  it('loads neither onnxruntime-node nor any stage or model code', async () => {
    const r = await loadsOf('client', ['--input-type=module', '-e', "await import('@podpreview/runs');"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.urls.some((u) => u.includes('/packages/runs/src/'))).toBe(true);
    expect(hits(r.urls, WORKER_ONLY)).toEqual([]);
  });

  it('is a real boundary: the worker side does load onnxruntime-node (the recorder sees it)', async () => {
    const r = await loadsOf('worker', ['--input-type=module', '-e', "await import('@podpreview/pipeline/worker');"]);
    expect(r.code, r.stderr).toBe(0);
    expect(hits(r.urls, ['/node_modules/onnxruntime-node/']).length).toBeGreaterThan(0);
  });

  it('the worker side loads the results table’s SDK at its first session, and bullmq-otel only with tracing on', async () => {
    // Each costs a CLI run's start-up tens of milliseconds before its first episode's decode.
    const idle = await loadsOf('worker-idle', ['--input-type=module', '-e', "await import('@podpreview/pipeline/worker');"]);
    expect(idle.code, idle.stderr).toBe(0);
    expect(hits(idle.urls, ['/node_modules/@duckdb/', '/node_modules/bullmq-otel/'])).toEqual([]);
    const file = path.join(dir, 'results.duckdb');
    const session = await loadsOf('worker-session', [
      '--input-type=module',
      '-e',
      `const { DuckDbResultsSink } = await import('@podpreview/storage'); const s = new DuckDbResultsSink(${JSON.stringify(file)}); await s.forRun('none'); await s.close();`,
    ]);
    expect(session.code, session.stderr).toBe(0);
    expect(hits(session.urls, ['/node_modules/@duckdb/']).length).toBeGreaterThan(0);
    // Or sooner, when the process has a moment (a fleet a second after its start).
    const prepared = await loadsOf('worker-prepare', [
      '--input-type=module',
      '-e',
      `const { DuckDbResultsSink } = await import('@podpreview/storage'); new DuckDbResultsSink(${JSON.stringify(file)}).prepare(); await new Promise((r) => setTimeout(r, 1000));`,
    ]);
    expect(prepared.code, prepared.stderr).toBe(0);
    expect(hits(prepared.urls, ['/node_modules/@duckdb/']).length).toBeGreaterThan(0);
  });

  it('podpreview --help loads no worker code and no storage SDK', async () => {
    const r = await loadsOf('help', [CLI, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(hits(r.urls, [...WORKER_ONLY, ...STORAGE_SDKS])).toEqual([]);
  });

  it('podpreview status loads no worker code and no storage SDK', async () => {
    const r = await loadsOf('status', [CLI, 'status']);
    expect(r.code, r.stderr).toBe(0);
    expect(hits(r.urls, [...WORKER_ONLY, ...STORAGE_SDKS])).toEqual([]);
  });

  it('podpreview-dashboard loads no worker code', async () => {
    const bin = path.join(REPO_ROOT, 'apps', 'dashboard', 'bin', 'podpreview-dashboard.mjs');
    const r = await loadsOf('dashboard', [bin], { envExtra: { PODPREVIEW_DASHBOARD_PORT: '0', LOG_LEVEL: 'info' }, until: /dashboard listening/ });
    expect(r.stderr).toMatch(/dashboard listening/);
    expect(r.urls.some((u) => u.includes('/node_modules/@bull-board/'))).toBe(true);
    expect(hits(r.urls, WORKER_ONLY)).toEqual([]);
  });

  it('the bundled podpreview (npm run build) loads neither onnxruntime-node nor wink for --help or status', async () => {
    for (const args of [['--help'], ['status']]) {
      const r = await loadsOf(`bundle-${args[0]}`, [CLI, ...args], { envExtra: { PODPREVIEW_RUN_SOURCES: '0' } });
      expect(r.code, r.stderr).toBe(0);
      expect(
        r.urls.some((u) => u.includes('/apps/producer/dist/')),
        'ran from the bundle',
      ).toBe(true);
      expect(hits(r.urls, ['/node_modules/onnxruntime-node/', '/node_modules/wink-nlp/', '/node_modules/@duckdb/'])).toEqual([]);
    }
  });

  it('podpreview serve loads no worker code', async () => {
    const r = await loadsOf('serve', [CLI, 'serve'], { envExtra: { PODPREVIEW_HTTP_PORT: '0', LOG_LEVEL: 'info' }, until: /API listening/ });
    expect(r.stderr).toMatch(/API listening/);
    expect(r.urls.some((u) => u.includes('/node_modules/express/'))).toBe(true);
    expect(hits(r.urls, WORKER_ONLY)).toEqual([]);
  });
});

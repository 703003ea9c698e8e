import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, freePort, PRIORITY_URGENT } from '@podpreview/runs';
import { createResultsSink } from '@podpreview/storage';
import { readLabels, REPO_ROOT, SAMPLES_DIR, startTestEnv, type SampleLabel, type TestEnv } from './harness.ts';

// The real `podpreview` CLI as a child process, against the harness's private Redis (or none).

const CLI = path.join(REPO_ROOT, 'apps', 'producer', 'bin', 'podpreview.mjs');

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** redis-server processes seen as direct children of the CLI while it ran. */
  redisChildren: number[];
}

/** pid → {comm, ppid} for every process, from /proc. */
async function processTable(): Promise<Map<number, { comm: string; ppid: number }>> {
  const out = new Map<number, { comm: string; ppid: number }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
    if (!stat) continue;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    out.set(Number(name), { comm, ppid });
  }
  return out;
}

const redisServerPids = async () => new Set([...(await processTable())].filter(([, p]) => p.comm === 'redis-server').map(([pid]) => pid));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<CliRun> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const redisChildren = new Set<number>();
  let running = true;
  const watch = (async () => {
    while (running) {
      for (const [pid, p] of await processTable()) if (p.comm === 'redis-server' && p.ppid === child.pid) redisChildren.add(pid);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running = false;
      void watch.then(() => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, redisChildren: [...redisChildren] }));
    });
  });
}

interface JsonOutcome {
  id: string;
  runId: string;
  status: string;
  previewStart: number | null;
  previewEnd: number | null;
  speechFraction: number | null;
  latencyMs: number | null;
  clip: string | null;
  joined: boolean;
  reason?: string;
}

function parseJsonLines(stdout: string): JsonOutcome[] {
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  return lines.map((l) => JSON.parse(l) as JsonOutcome);
}

const OUTCOME_KEYS = ['clip', 'id', 'joined', 'latencyMs', 'previewEnd', 'previewStart', 'runId', 'speechFraction', 'status'];

let env: TestEnv;
let labels: SampleLabel[];
let work: string;
let episodesDir: string;
/** process.env with the test env on top (REDIS_URL → the harness's private Redis). */
let withRedis: Record<string, string | undefined>;
/** The same, minus REDIS_URL: a bare machine. */
let bare: Record<string, string | undefined>;

beforeAll(async () => {
  env = await startTestEnv();
  labels = await readLabels();
  work = await mkdtemp(path.join(tmpdir(), 'podpreview-cli-test-'));
  episodesDir = path.join(work, 'episodes');
  await mkdir(episodesDir);
  // One episode with its transcript, one without, one corrupt.
  await copyFile(path.join(SAMPLES_DIR, 'news-brief.mp3'), path.join(episodesDir, 'news-brief.mp3'));
  await copyFile(path.join(SAMPLES_DIR, 'news-brief.vtt'), path.join(episodesDir, 'news-brief.vtt'));
  await copyFile(path.join(SAMPLES_DIR, 'tech-talk.mp3'), path.join(episodesDir, 'tech-talk.mp3'));
  // Fixed bytes, not random ones: ffmpeg probes random bytes now and then as another format
  // (once as lrc, a lyrics file: unsupported_audio instead of corrupt_audio).
  await writeFile(path.join(episodesDir, 'broken.mp3'), Buffer.alloc(20_000, 7));
  await writeFile(path.join(episodesDir, 'notes.txt'), 'not audio, ignored');
  withRedis = { ...process.env, ...env.env };
  bare = { ...withRedis, PODPREVIEW_DATA_DIR: path.join(work, 'bare-data') };
  delete bare.REDIS_URL;
});

afterAll(async () => {
  await env?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('podpreview enqueue (real CLI process)', () => {
  let first: JsonOutcome[];

  it('(a) enqueue <dir> --wait --json: one JSON object per episode, corrupt one failed, exit 2', async () => {
    const run = await runCli(['enqueue', episodesDir, '--wait', '--json'], withRedis);
    expect(run.code, run.stderr).toBe(2);
    // With REDIS_URL set it must use that Redis, not start its own.
    expect(run.redisChildren).toEqual([]);
    const rows = parseJsonLines(run.stdout);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(rows.map((r) => r.id)).toEqual(['broken', 'news-brief', 'tech-talk']);

    const [broken, news, tech] = rows as [JsonOutcome, JsonOutcome, JsonOutcome];
    expect(Object.keys(broken).sort()).toEqual([...OUTCOME_KEYS, 'reason'].sort());
    expect(broken).toMatchObject({ status: 'failed', previewStart: null, previewEnd: null, clip: null, joined: false });
    expect(broken.reason).toMatch(/^preprocess: corrupt_audio: /);
    expect(broken.reason).toContain('broken.mp3');

    for (const r of [news, tech]) {
      expect(Object.keys(r).sort(), r.id).toEqual(OUTCOME_KEYS);
      expect(r.status, JSON.stringify(r)).toBe('succeeded');
      // Where the clip is, how much of it is speech, how long the run took, whether it joined another.
      expect(r.clip).toMatch(new RegExp(`^file:///.*/episodes/${r.id}/${r.runId}/preview\\.mp3$`));
      expect((await readFile(new URL(r.clip!))).length).toBeGreaterThan(10_000);
      expect(r.speechFraction!).toBeGreaterThan(0.5);
      expect(Number.isFinite(r.latencyMs)).toBe(true);
      expect(r.joined).toBe(false);
      // 60 ± 1 s: the end moves to land between sentences.
      expect(r.previewEnd! - r.previewStart!).toBeGreaterThanOrEqual(59);
      expect(r.previewEnd! - r.previewStart!).toBeLessThanOrEqual(61);
      // Against the ground truth: after the music intro, on a sentence start.
      const label = labels.find((l) => l.file === `${r.id}.mp3`)!;
      const firstSpeech = label.segments.find((g) => g.kind === 'speech')!.startSec;
      expect(r.previewStart!).toBeGreaterThanOrEqual(firstSpeech - 0.5);
      expect(Math.min(...label.sentences.map((s) => Math.abs(s.startSec - r.previewStart!)))).toBeLessThan(0.5);
    }
    expect(new Set(rows.map((r) => r.runId)).size).toBe(3);

    // The runs went through the configured Redis and into the configured results table.
    const queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
    const results = createResultsSink(env.config);
    try {
      expect(await (await queues.preprocess.getJob(news.runId))?.getState()).toBe('completed');
      expect(await (await queues.preprocess.getJob(broken.runId))?.getState()).toBe('failed');
      expect(await results.forRun(news.runId)).toMatchObject({ status: 'succeeded', episodeId: 'news-brief', path: 'transcript' });
      expect(await results.forRun(tech.runId)).toMatchObject({ status: 'succeeded', episodeId: 'tech-talk', path: 'audio-only' });
      expect(await results.forRun(broken.runId)).toMatchObject({ status: 'failed', errorCode: 'corrupt_audio' });
    } finally {
      await closeQueues(queues);
      await results.close();
    }
    first = rows;
  });

  it('(b) the same command again reports the good episodes as deduplicated', async () => {
    expect(first, 'needs (a)').toBeDefined();
    const run = await runCli(['enqueue', episodesDir, '--wait', '--json'], withRedis);
    expect(run.code, run.stderr).toBe(2);
    const rows = parseJsonLines(run.stdout);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['broken', 'failed'],
      ['news-brief', 'deduplicated'],
      ['tech-talk', 'deduplicated'],
    ]);
    for (const [i, r] of rows.entries()) {
      // New runs, same previews as the first time.
      expect(r.runId).not.toBe(first[i]!.runId);
      if (r.status === 'deduplicated') expect([r.previewStart, r.previewEnd]).toEqual([first[i]!.previewStart, first[i]!.previewEnd]);
    }
    expect(rows[0]!.reason).toMatch(/corrupt_audio/);
  });

  it('(c) with REDIS_URL unset, --wait runs a manifest of file:// entries outside the working directory on a private redis-server and leaves none behind', async () => {
    const single = path.join(work, 'single');
    await mkdir(single);
    await copyFile(path.join(SAMPLES_DIR, 'short-note.ogg'), path.join(single, 'short-note.ogg'));
    await copyFile(path.join(SAMPLES_DIR, 'short-note.vtt'), path.join(single, 'short-note.vtt'));
    // The operator's own manifest on their own machine: its entries are allowed like files named on the command line.
    const manifest = path.join(work, 'manifest.jsonl');
    const entry = {
      id: 'short-note',
      audioUri: pathToFileURL(path.join(single, 'short-note.ogg')).href,
      transcriptUri: pathToFileURL(path.join(single, 'short-note.vtt')).href,
    };
    await writeFile(manifest, `${JSON.stringify(entry)}\n`);
    expect(path.relative(REPO_ROOT, single).startsWith('..')).toBe(true);
    const before = await redisServerPids();

    const run = await runCli(['enqueue', manifest, '--wait', '--json'], { ...bare, PODPREVIEW_INPUT_ROOTS: undefined });
    expect(run.code, run.stderr).toBe(0);
    const rows = parseJsonLines(run.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'short-note', status: 'succeeded' });
    // Shorter than 60 s: the preview is the whole episode.
    expect(rows[0]!.previewEnd! - rows[0]!.previewStart!).toBeCloseTo(41.9, 0);

    // It did start its own redis-server (a child of the CLI), and that one is gone now.
    expect(run.redisChildren.length).toBeGreaterThanOrEqual(1);
    for (const pid of run.redisChildren) expect(isAlive(pid), `redis-server ${pid} still running`).toBe(false);
    const after = await redisServerPids();
    const leftover = [...after].filter((pid) => !before.has(pid) && run.redisChildren.includes(pid));
    expect(leftover).toEqual([]);
    // The harness's redis-server is untouched.
    expect(isAlive(env.redis.process.pid!)).toBe(true);
    // The results went to the data dir it was given.
    const results = createResultsSink({ ...env.config, sink: { kind: 'local', dbPath: path.join(bare.PODPREVIEW_DATA_DIR!, 'results.duckdb') } });
    try {
      expect(await results.forRun(rows[0]!.runId)).toMatchObject({ status: 'succeeded', episodeId: 'short-note' });
    } finally {
      await results.close();
    }
  });

  it('(d) without --wait and without REDIS_URL, exits non-zero naming REDIS_URL', async () => {
    const run = await runCli(['enqueue', path.join(episodesDir, 'tech-talk.mp3')], bare);
    expect(run.code).not.toBe(0);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^podpreview: REDIS_URL is not set/m);
    expect(run.stdout).toBe('');
    expect(run.redisChildren).toEqual([]);
  });

  it('(e) an invalid env var exits 1 with one message naming it', async () => {
    const run = await runCli(['enqueue', path.join(episodesDir, 'tech-talk.mp3'), '--wait', '--json'], { ...withRedis, PODPREVIEW_CONCURRENCY_SINK: 'x' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^podpreview: invalid configuration: PODPREVIEW_CONCURRENCY_SINK: /);
    expect(run.stdout).toBe('');
  });

  it('(f) a missing input exits 1 naming the path, before touching Redis', async () => {
    const missing = path.join(work, 'nope.mp3');
    const run = await runCli(['enqueue', missing, '--wait', '--json'], withRedis);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`podpreview: ${missing}: no such file or directory`);
    expect(run.stdout).toBe('');
  });

  it('(g) without --wait, with REDIS_URL, prints the queued run and leaves its job in Redis at the requested priority', async () => {
    const run = await runCli(['enqueue', path.join(episodesDir, 'broken.mp3'), '--id', 'queued-only', '--priority'], withRedis);
    expect(run.code, run.stderr).toBe(0);
    const rows = parseJsonLines(run.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'queued-only', status: 'queued', previewStart: null, previewEnd: null });
    const queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
    try {
      const job = await queues.preprocess.getJob(rows[0]!.runId);
      expect(job?.opts.priority).toBe(PRIORITY_URGENT);
      expect(job?.data).toMatchObject({ episodeId: 'queued-only', priority: true });
      expect(await job?.getState()).toBe('prioritized');
    } finally {
      await closeQueues(queues);
    }
  });

  it('(h) status shows the backlog per stage: the queued run from (g) waits in preprocess, failures are counted', async () => {
    const run = await runCli(['status', '--json'], withRedis);
    expect(run.code, run.stderr).toBe(0);
    const rows = parseJsonLines(run.stdout) as unknown as { stage: string; waiting: number; failed: number; workers: number }[];
    expect(rows.map((r) => r.stage)).toEqual(['preprocess', 'ensemble-a', 'ensemble-b', 'selection', 'sink']);
    expect(rows[0]!.waiting).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.failed).toBeGreaterThanOrEqual(1); // the corrupt file of (a) and (b)
    expect(rows.every((r) => r.workers === 0)).toBe(true);
    const table = await runCli(['status'], withRedis);
    expect(table.stdout).toMatch(/preprocess\s+│\s+\d+/);
  });

  it.each([
    ['status', ['status']],
    ['enqueue', ['enqueue', path.join(SAMPLES_DIR, 'short-note.ogg')]],
    ['enqueue --wait', ['enqueue', path.join(SAMPLES_DIR, 'short-note.ogg'), '--wait']],
  ])('(i) %s fails fast with exit 3 when Redis is unreachable, naming the URL with its password masked', async (_name, args) => {
    const port = await freePort(); // nothing listens there
    const run = await runCli(args, { ...withRedis, REDIS_URL: `redis://:hunter2@127.0.0.1:${port}/0`, PODPREVIEW_REDIS_CONNECT_TIMEOUT_MS: '1500' }, 30_000);
    expect(run.signal, 'killed by the test after 30 s: the command hung').toBeNull();
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port}/0`);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('(j) doctor reports the build, packages and models, checks Redis, and exits 1 naming a fix when a model file is wrong', async () => {
    const ok = await runCli(['doctor', '--json'], withRedis);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as {
      build: { fingerprint: string; packages: { name: string }[]; packagesHash: string; commit: string | null };
      models: { id: string; sha256: string }[];
      redis: { version: string };
      checks: { name: string; ok: boolean; fix?: string }[];
    };
    expect(report.build.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(report.build.packages.map((p) => p.name)).toEqual(expect.arrayContaining(['bullmq', 'ioredis', 'onnxruntime-node', 'zod']));
    expect(report.models.map((m) => m.id)).toEqual(expect.arrayContaining(['silero-vad', 'sed-mini', 'ad-detector', 'intro-outro']));
    expect(report.redis.version).toMatch(/^\d+\.\d+/);
    expect(report.checks.every((c) => c.ok)).toBe(true);
    // A manifest whose sha256 does not match its file: the check fails and says what to do.
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'packages/models/manifest.json'), 'utf8')) as {
      models: { file: string; sha256: string }[];
    };
    manifest.models[0]!.sha256 = '0'.repeat(64);
    for (const m of manifest.models) m.file = path.join(REPO_ROOT, 'packages/models', m.file);
    const bad = path.join(work, 'manifest.json');
    await writeFile(bad, JSON.stringify(manifest));
    const failing = await runCli(['doctor'], { ...withRedis, PODPREVIEW_MODEL_MANIFEST: bad });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/FAIL\s+model silero-vad@6\.2\+batched: sha256 [0-9a-f]+ differs/);
    expect(failing.stdout).toMatch(/→ restore the weights/);
  });

  it('(k) --version and -V print the version; every command’s help has examples, and flags name their environment variables', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'apps/producer/package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag], bare);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(pkg.version);
    }
    const top = await runCli(['--help'], bare);
    expect(top.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 .*an episode failed.*\n\s+3 .*unreachable/);
    expect(top.stdout).toContain('(env: REDIS_URL)');
    for (const command of ['enqueue', 'get', 'retry', 'status', 'doctor', 'serve']) {
      const help = await runCli([command, '--help'], bare);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(new RegExp(`Examples:\\n\\s+\\$ podpreview ${command}`));
    }
    const serve = await runCli(['serve', '--help'], bare);
    expect(serve.stdout).toMatch(/-H, --host <address>[\s\S]*\(env: PODPREVIEW_HTTP_HOST\)/);
    expect(serve.stdout).toMatch(/-P, --port <port>[\s\S]*\(env: PODPREVIEW_HTTP_PORT\)/);
    const enqueue = await runCli(['enqueue', '--help'], bare);
    expect(enqueue.stdout).toMatch(/-w, --wait/);
    expect(enqueue.stdout).toMatch(/--timeout <seconds>[\s\S]*\(env: PODPREVIEW_ENQUEUE_TIMEOUT_SEC\)/);
    const bad = await runCli(['enqueue', 'x.mp3', '--timeout', 'soon'], bare);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--timeout.*a positive number/);
  });

  it('(l) get <id> prints an episode’s newest run for people, or as the API’s JSON; exit 2 for a failed one, 1 for none', async () => {
    expect(first, 'needs (a)').toBeDefined();
    const human = await runCli(['get', 'news-brief'], withRedis);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^episode\s+news-brief$/m);
    expect(human.stdout).toMatch(/^status\s+deduplicated$/m);
    expect(human.stdout).toMatch(/^preview\s+[\d.]+–[\d.]+ s \(speech \d+ %\)$/m);
    expect(human.stdout).toMatch(/^clip\s+file:\/\/\/.*preview\.mp3$/m);
    const json = await runCli(['get', 'news-brief', '--json'], withRedis);
    expect(json.code).toBe(0);
    const episode = JSON.parse(json.stdout) as { id: string; status: string; clip: { url: string }; result: { status: string; errorMessage?: string } };
    expect(episode).toMatchObject({ id: 'news-brief', status: 'deduplicated', result: { status: 'deduplicated' } });
    expect(episode.clip.url).toMatch(/^file:\/\/\//);
    const broken = await runCli(['get', 'broken'], withRedis);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toMatch(/^error\s+corrupt_audio \(in preprocess\)$/m);
    const none = await runCli(['get', 'never-enqueued'], withRedis);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no episode never-enqueued/);
  });

  it('(m) retry <runId> runs the same submission again; an unknown run id exits 1', async () => {
    expect(first, 'needs (a)').toBeDefined();
    const broken = first.find((r) => r.id === 'broken')!;
    const run = await runCli(['retry', broken.runId, '--wait', '--json', '--timeout', '60'], withRedis);
    expect(run.code, run.stderr).toBe(2);
    const [row] = parseJsonLines(run.stdout);
    expect(row).toMatchObject({ id: 'broken', status: 'failed' });
    expect(row!.runId).not.toBe(broken.runId);
    expect(row!.reason).toMatch(/corrupt_audio/);
    const unknown = await runCli(['retry', 'no-such-run-0000'], withRedis);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/run no-such-run-0000 is not known/);
  });

  it('(n) status --watch prints the backlog again every --interval until interrupted, then exits 0', async () => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, 'status', '--watch', '-n', '0.2'], {
      cwd: REPO_ROOT,
      env: withRedis as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    while ((stdout.match(/every 0\.2 s/g) ?? []).length < 3 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect((stdout.match(/preprocess\s+│/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(code).toBe(0);
  });

  it('(o) serve --host --port binds where it is told and answers /healthz, /readyz and /v1/openapi.json', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: REPO_ROOT,
      env: { ...withRedis, PODPREVIEW_HTTP_PORT: '1' } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      const t0 = Date.now();
      while (!stderr.includes('API on') && Date.now() - t0 < 30_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      // The flag beats PODPREVIEW_HTTP_PORT.
      expect(stderr).toContain(`API on http://127.0.0.1:${port}`);
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(((await (await fetch(`http://127.0.0.1:${port}/v1/openapi.json`)).json()) as { openapi: string }).openapi).toBe('3.1.0');
    } finally {
      child.kill('SIGTERM');
      expect(await new Promise<number | null>((r) => child.once('close', r))).toBe(0);
    }
  });

  it('(p) enqueue --wait --timeout gives up waiting with exit 1, naming the timeout', async () => {
    const run = await runCli(
      ['enqueue', path.join(SAMPLES_DIR, 'tech-talk.mp3'), '--id', 'timed-out', '--force', '--wait', '--json', '--timeout', '0.05'],
      withRedis,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/timed out waiting for 1 run/);
  });
});

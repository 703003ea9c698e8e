import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job } from 'bullmq';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest } from '@podpreview/shared';
import { REPO_ROOT, SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { tally } from './world.ts';

// Bad inputs mixed with good ones, submitted together: every bad one fails once, with its
// reason and a failure row; every good one (odd file names included) succeeds.

let env: TestEnv;
let work: string;
let pipeline: LocalPipeline;

const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...args]);

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'podpreview-bad-inputs-'));
  env = await startTestEnv({
    // Only this scenario's folder; no bucket; public hosts only; small limits to test them cheaply.
    PODPREVIEW_INPUT_ROOTS: work,
    PODPREVIEW_MAX_INPUT_BYTES: String(20 * 1024 * 1024),
    PODPREVIEW_MAX_DURATION_SEC: '7200',
    PODPREVIEW_CONCURRENCY_PREPROCESS: '4',
  });
  pipeline = await startLocalPipeline(env.config, env.log);
});

afterAll(async () => {
  await pipeline?.stop();
  await env?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Case {
  kind: string;
  /** The reason code the run must fail with, or null: it must succeed. */
  expect: string | null;
  audioUri: string;
  transcriptUri?: string;
}

/**
 * Seeded pseudo-random bytes (xorshift32): the same every run. Some unseeded draws look to the
 * prober like a container it knows, and then the reason flips to unsupported_audio.
 */
function noiseBytes(n: number): Buffer {
  let s = 0x9e3779b9;
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    b[i] = s & 255;
  }
  return b;
}

async function buildCases(): Promise<Case[]> {
  const f = (name: string) => path.join(work, name);
  await writeFile(f('empty.mp3'), '');
  await writeFile(f('truncated.mp3'), (await readFile(path.join(SAMPLES_DIR, 'news-brief.mp3'))).subarray(0, 1500));
  await writeFile(f('random.mp3'), noiseBytes(50_000));
  await writeFile(f('text.mp3'), 'This is a podcast, honest.\n'.repeat(200));
  // A real PNG (ffmpeg draws it): an image stream, no audio stream.
  ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=16x16', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', f('image.mp3'));
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000', '-t', '0.5', f('half-second.mp3'));
  ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '10800', '-c:a', 'flac', f('three-hours-silent.flac'));
  ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '20', f('silence.mp3'));
  await writeFile(f('huge.mp3'), '');
  await truncate(f('huge.mp3'), 21 * 1024 * 1024);
  await writeFile(f('garbage.vtt'), 'WEBVTT\n\nthis is not a cue at all\n');
  await mkdir(f('a-directory.mp3'));
  await copyFile(path.join(SAMPLES_DIR, 'tech-talk.mp3'), f('with-garbage-transcript.mp3'));
  const bad: Case[] = [
    { kind: 'empty file', expect: 'corrupt_audio', audioUri: f('empty.mp3') },
    { kind: 'truncated mp3', expect: 'empty_audio', audioUri: f('truncated.mp3') },
    { kind: 'random bytes', expect: 'corrupt_audio', audioUri: f('random.mp3') },
    { kind: 'text named .mp3', expect: 'corrupt_audio', audioUri: f('text.mp3') },
    { kind: 'PNG named .mp3', expect: 'unsupported_audio', audioUri: f('image.mp3') },
    { kind: '0.5 s of audio', expect: 'empty_audio', audioUri: f('half-second.mp3') },
    { kind: '3-hour silent file', expect: 'audio_too_long', audioUri: f('three-hours-silent.flac') },
    { kind: 'over the size limit', expect: 'input_too_large', audioUri: f('huge.mp3') },
    { kind: '20 s of silence', expect: 'no_speech', audioUri: f('silence.mp3') },
    { kind: 'garbage VTT', expect: 'bad_transcript', audioUri: f('with-garbage-transcript.mp3'), transcriptUri: f('garbage.vtt') },
    { kind: 'missing path', expect: 'input_not_found', audioUri: f('nope.mp3') },
    { kind: 'a directory', expect: 'input_not_found', audioUri: f('a-directory.mp3') },
    { kind: 'outside the input roots', expect: 'input_not_allowed', audioUri: path.join(REPO_ROOT, 'samples', 'news-brief.mp3') },
    { kind: 'private-address URL', expect: 'input_not_allowed', audioUri: 'http://127.0.0.1:9/ep.mp3' },
    { kind: 'metadata-address URL', expect: 'input_not_allowed', audioUri: 'http://169.254.169.254/latest/meta-data/' },
    { kind: 'bucket not allowed', expect: 'input_not_allowed', audioUri: 'gs://someone-elses/ep.mp3' },
  ];
  const good: Case[] = [];
  for (const [name, sample, transcript] of [
    ['name with spaces.mp3', 'news-brief.mp3', 'news-brief.vtt'],
    [`quote'single"double.mp3`, 'tech-talk.mp3', null],
    ['ünïcödé 名前.ogg', 'short-note.ogg', 'short-note.vtt'],
    ['semi;$(touch pwned)`id`&|.mp3', 'interview.mp3', 'interview.srt'],
  ] as const) {
    await copyFile(path.join(SAMPLES_DIR, sample), f(name));
    const t = transcript ? f(`${name}.${transcript.split('.').pop()}`) : undefined;
    if (t) await copyFile(path.join(SAMPLES_DIR, transcript!), t);
    good.push({ kind: `odd name: ${name}`, expect: null, audioUri: f(name), ...(t ? { transcriptUri: t } : {}) });
  }
  // 100 bad ones, every kind several times, with the good ones among them.
  const cases: Case[] = [];
  for (let i = 0; i < 100; i++) {
    cases.push(bad[i % bad.length]!);
    if (i % 25 === 0) cases.push(good[i / 25]!);
  }
  return cases;
}

describe('bad inputs mixed with good ones', () => {
  it('each bad one fails once with its reason and a failure row; every good one succeeds', async () => {
    const cases = await buildCases();
    const q = pipeline.fleet.queues;
    const submitted = [];
    for (const [i, c] of cases.entries()) {
      const req = EnqueueRequest.parse({ id: `case-${i}`, audioUri: c.audioUri, ...(c.transcriptUri ? { transcriptUri: c.transcriptUri } : {}) });
      const receipt = await enqueueEpisode(q, env.config, req);
      submitted.push({ episodeId: receipt.episodeId, runId: receipt.runId });
    }
    const t0 = Date.now();
    const statuses = await waitForRuns(
      q,
      submitted.map((s) => s.runId),
      { timeoutMs: 200_000 },
    );
    for (const [i, s] of statuses.entries()) {
      const c = cases[i]!;
      const row = await pipeline.fleet.services.results.forRun(s.runId);
      if (c.expect === null) {
        expect(s.state, `${c.kind}: ${s.reason ?? ''}`).toBe('succeeded');
        continue;
      }
      expect(s.state, c.kind).toBe('failed');
      expect(row, `${c.kind}: failure row`).toMatchObject({ status: 'failed', errorCode: c.expect });
      // Once: bad input is not retried.
      const job = await Job.fromId(q[row!.failedStage!], s.runId);
      expect(job?.attemptsMade, `${c.kind}: attempts`).toBe(1);
    }
    // The shell metacharacters in a file name reached no shell.
    expect(spawnSync('test', ['-e', path.join(work, 'pwned')]).status).not.toBe(0);
    const result = await tally('100 bad inputs among good ones', q, pipeline.fleet.services.results, submitted, {
      notes: `${cases.filter((c) => c.expect).length} bad of ${cases.length}; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    });
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, succeeded: cases.filter((c) => c.expect === null).length });
  });

  it('two different files with the same name in one submission: both processed, under distinct ids', async () => {
    await mkdir(path.join(work, 'a'));
    await mkdir(path.join(work, 'b'));
    await copyFile(path.join(SAMPLES_DIR, 'news-brief.mp3'), path.join(work, 'a', 'episode.mp3'));
    await copyFile(path.join(SAMPLES_DIR, 'tech-talk.mp3'), path.join(work, 'b', 'episode.mp3'));
    // Asynchronously: this process runs the workers the CLI's runs go to.
    const cli = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs'),
          'enqueue',
          path.join(work, 'a', 'episode.mp3'),
          path.join(work, 'b', 'episode.mp3'),
          '--wait',
          '--json',
        ],
        { cwd: REPO_ROOT, env: { ...process.env, ...env.env }, timeout: 120_000 },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(cli.status, cli.stderr).toBe(0);
    const lines = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; runId: string; status: string; previewStart: number });
    expect(lines).toHaveLength(2);
    expect(new Set(lines.map((l) => l.id)).size).toBe(2);
    for (const l of lines) expect(l.id).toMatch(/^episode-[0-9a-f]{8}$/);
    expect(lines.map((l) => l.status)).toEqual(['succeeded', 'succeeded']);
    // Two files, two previews: the two episodes differ.
    expect(lines[0]!.previewStart).not.toBe(lines[1]!.previewStart);
    const result = await tally(
      'two files, one name, one submission',
      pipeline.fleet.queues,
      pipeline.fleet.services.results,
      lines.map((l) => ({ episodeId: l.id, runId: l.runId })),
    );
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, succeeded: 2 });
  });
});

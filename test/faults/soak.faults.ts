import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest, STAGES } from '@podpreview/shared';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { tally, until } from './world.ts';

// Many small episodes through every stage: what stays behind must be bounded by configuration,
// not by the number of episodes. PODPREVIEW_FAULTS_SOAK_EPISODES sets the count (default 60:
// three times the jobs each queue keeps, so the later checkpoints run past that bound;
// thousands take many minutes on 2 cores).

const KEEP_JOBS = 20;
const EPISODES = Number(process.env.PODPREVIEW_FAULTS_SOAK_EPISODES ?? 3 * KEEP_JOBS);
let env: TestEnv;
let pipeline: LocalPipeline;
const clips: string[] = [];

beforeAll(async () => {
  env = await startTestEnv({
    PODPREVIEW_KEEP_COMPLETED_JOBS: String(KEEP_JOBS),
    PODPREVIEW_KEEP_FAILED_JOBS: String(KEEP_JOBS),
    PODPREVIEW_RUN_STATE_TTL_MS: '60000',
    PODPREVIEW_CONCURRENCY_PREPROCESS: '4',
    PODPREVIEW_CONCURRENCY_ENSEMBLE_A: '2',
    PODPREVIEW_CONCURRENCY_SINK: '4',
  });
  // Four-second stretches of speech: small episodes, all the stages' work.
  for (const [file, from] of [
    ['news-brief.mp3', 20],
    ['tech-talk.mp3', 30],
    ['interview.mp3', 40],
  ] as const) {
    const out = path.join(env.dataDir, `clip-${clips.length}.mp3`);
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-ss', String(from), '-t', '4', '-i', path.join(SAMPLES_DIR, file), out]);
    clips.push(out);
  }
  pipeline = await startLocalPipeline(env.config, env.log);
});

afterAll(async () => {
  await pipeline?.stop();
  await env?.cleanup();
});

async function redisFigures(): Promise<{ keys: number; usedMemory: number }> {
  const r = pipeline.fleet.queues.redis;
  const info = await r.info('memory');
  return { keys: await r.dbsize(), usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1]) };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('soak', () => {
  it(`${EPISODES} small episodes leave bounded Redis state, only clips and explanations in storage, no temp files`, async () => {
    const q = pipeline.fleet.queues;
    const submitted: { episodeId: string; runId: string }[] = [];
    const checkpoints: { runs: number; keys: number; usedMemory: number }[] = [];
    const t0 = Date.now();
    const batch = Math.ceil(EPISODES / 3);
    for (let start = 0; start < EPISODES; start += batch) {
      const ids = [];
      for (let i = start; i < Math.min(EPISODES, start + batch); i++) {
        const req = EnqueueRequest.parse({ id: `soak-${i}`, audioUri: clips[i % clips.length]! });
        const receipt = await enqueueEpisode(q, env.config, req);
        submitted.push({ episodeId: receipt.episodeId, runId: receipt.runId });
        ids.push(receipt.runId);
      }
      await waitForRuns(q, ids, { timeoutMs: 600_000, pollMs: 500 });
      checkpoints.push({ runs: submitted.length, ...(await redisFigures()) });
    }
    const seconds = (Date.now() - t0) / 1000;
    // A run reads as ended once its record says so; its clean-up (claim release, intermediate
    // blobs) follows a moment later.
    const r = q.redis;
    await until('claims released', async () => (await r.keys(`${env.config.queuePrefix}:podpreview:inflight:*`)).length === 0, 30_000, 200);
    await until('intermediates deleted', async () => (await filesUnder(path.join(env.dataDir, 'blobs'))).length === 2 * EPISODES, 30_000, 200);
    console.log(`soak: ${EPISODES} episodes in ${seconds.toFixed(0)} s; Redis after each third: ${JSON.stringify(checkpoints)}`);

    // Redis: BullMQ keeps KEEP_JOBS finished jobs per queue (a job hash and its few side keys),
    // plus a handful of keys per queue; ours all expire (run record, newest run), and no claim
    // outlives its run.
    const ours = await r.keys(`${env.config.queuePrefix}:podpreview:*`);
    const ttls = await Promise.all(ours.map((k) => r.pttl(k)));
    const forever = ours.filter((_k, i) => ttls[i]! < 0);
    expect(forever, `keys without TTL: ${forever.join(', ')}`).toEqual([]);
    expect(
      ours.filter((k) => k.includes(':inflight:')),
      'claims left',
    ).toEqual([]);
    const bullKeys = checkpoints.at(-1)!.keys - ours.length;
    const bullBound = STAGES.length * (2 * KEEP_JOBS * 3 + 20);
    expect(bullKeys).toBeLessThanOrEqual(bullBound);

    // Storage: each run keeps its clip and its explanation, nothing else.
    const files = await filesUnder(path.join(env.dataDir, 'blobs'));
    const leftovers = files.filter((f) => !f.endsWith('/preview.mp3') && !f.endsWith('/selection.json'));
    expect(leftovers, 'blobs beside clips and explanations').toEqual([]);
    expect(files.length).toBe(2 * EPISODES);
    expect(await filesUnder(env.config.tempDir), 'temp files').toEqual([]);

    const result = await tally(`soak: ${EPISODES} small episodes`, q, pipeline.fleet.services.results, submitted, {
      notes: `${seconds.toFixed(0)} s; BullMQ keys ${bullKeys} (bound ${bullBound}), own keys ${ours.length} all with TTL; Redis memory ${checkpoints
        .map((c) => `${(c.usedMemory / 1e6).toFixed(1)} MB`)
        .join(' → ')}; blobs: clip + selection per run only; temp files 0`,
    });
    record(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, succeeded: EPISODES });
  });
});

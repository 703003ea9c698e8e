import { execFile } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest } from '@podpreview/shared';
import { REPO_ROOT, SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

// `podpreview replay --reason`: episodes whose newest run failed with that reason run again,
// from the input their failed run recorded; the others are left alone, each with its reason.

let env: TestEnv;
let pipeline: LocalPipeline;
const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs');

beforeAll(async () => {
  env = await startTestEnv();
  pipeline = await startLocalPipeline(env.config, env.log);
});

afterAll(async () => {
  await pipeline?.stop();
  await env?.cleanup();
});

async function runOnce(id: string, audioUri: string) {
  const receipt = await enqueueEpisode(pipeline.fleet.queues, env.config, EnqueueRequest.parse({ id, audioUri }));
  const [s] = await waitForRuns(pipeline.fleet.queues, [receipt.runId], { timeoutMs: 60_000 });
  return s!;
}

describe('podpreview replay', () => {
  it('runs again the episodes whose newest run failed with the reason, once their input is there', async () => {
    const late = path.join(env.dataDir, 'late.ogg');
    const fixedSince = path.join(env.dataDir, 'fixed.ogg');
    const garbage = path.join(env.dataDir, 'garbage.mp3');
    await writeFile(garbage, 'not audio at all, just text in a file named .mp3\n'.repeat(50));

    // Uploaded late: the run fails input_not_found, then the file arrives.
    expect((await runOnce('late', late)).reason).toMatch(/input_not_found/);
    // Failed the same way, but was submitted again since and succeeded: not replayed.
    expect((await runOnce('fixed', fixedSince)).reason).toMatch(/input_not_found/);
    await copyFile(path.join(SAMPLES_DIR, 'short-note.ogg'), fixedSince);
    expect((await runOnce('fixed', fixedSince)).state).toBe('succeeded');
    // Another reason: not replayed.
    expect((await runOnce('garbage', garbage)).reason).toMatch(/corrupt_audio/);
    await copyFile(path.join(SAMPLES_DIR, 'short-note.ogg'), late);

    const out = await run(process.execPath, [CLI, 'replay', '--reason', 'input_not_found', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      timeout: 30_000,
    });
    const outcomes = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { episodeId: string; replayed?: { runId: string }; skipped?: string });
    expect(outcomes.map((o) => o.episodeId).sort()).toEqual(['fixed', 'late']);
    expect(outcomes.find((o) => o.episodeId === 'fixed')).toMatchObject({ skipped: 'ran again since (succeeded)' });
    const replayed = outcomes.find((o) => o.episodeId === 'late')!.replayed!;
    const [s] = await waitForRuns(pipeline.fleet.queues, [replayed.runId], { timeoutMs: 60_000 });
    expect(s!.state).toBe('succeeded');
    expect((await pipeline.fleet.services.results.latestForEpisode('late'))?.runId).toBe(replayed.runId);

    // Replayed once: its newest run now succeeded, so a second replay finds nothing to do.
    const again = await run(process.execPath, [CLI, 'replay', '--reason', 'input_not_found'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      timeout: 30_000,
    });
    expect(again.stdout).toMatch(/late: skipped, ran again since \(succeeded\)/);
    expect(again.stdout).not.toMatch(/replayed as/);
  });
});

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, waitForRuns } from '@podpreview/pipeline/client';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest, loadConfig } from '@podpreview/shared';
import { REPO_ROOT, SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

// Two variants from one configuration: "production" (the test env) and "staging" (a variant
// file: its own queue prefix, data dir and results table, 30-second previews), each running the
// same episode on the real pipeline; `podpreview compare` reads both results tables.

let env: TestEnv;
let variantFile: string;
const CLI = path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs');
const run = promisify(execFile);

async function runVariant(vars: Record<string, string>): Promise<void> {
  const config = loadConfig({ ...env.env, ...vars });
  const pipeline = await startLocalPipeline(config, env.log);
  try {
    const req = EnqueueRequest.parse({ id: 'short-note', audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') });
    const receipt = await enqueueEpisode(pipeline.fleet.queues, config, req);
    const [s] = await waitForRuns(pipeline.fleet.queues, [receipt.runId], { timeoutMs: 60_000 });
    expect(s!.state).toBe('succeeded');
  } finally {
    await pipeline.stop();
  }
}

beforeAll(async () => {
  env = await startTestEnv();
  const staging = {
    PODPREVIEW_QUEUE_PREFIX: `${env.env.PODPREVIEW_QUEUE_PREFIX}-staging`,
    PODPREVIEW_DATA_DIR: path.join(env.dataDir, 'staging'),
    PODPREVIEW_PREVIEW_SEC: '30',
  };
  variantFile = path.join(env.dataDir, 'staging.env');
  await writeFile(
    variantFile,
    `# staging\n${Object.entries(staging)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  await runVariant({});
  await runVariant(staging);
});

afterAll(async () => {
  await env?.cleanup();
});

describe('podpreview compare', () => {
  it('prints both variants’ windows of the same episode, their overlap and the models', async () => {
    const out = await run(process.execPath, [CLI, 'compare', '--against', variantFile, '--json', 'short-note'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      timeout: 30_000,
    });
    const [c] = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(c.variants).toEqual([env.env.PODPREVIEW_QUEUE_PREFIX, `${env.env.PODPREVIEW_QUEUE_PREFIX}-staging`]);
    const a = c.a.previewEndSec - c.a.previewStartSec;
    const b = c.b.previewEndSec - c.b.previewStartSec;
    expect(a).toBeCloseTo(41.9, 0); // the whole 42-second episode
    expect(b).toBeGreaterThan(28);
    expect(b).toBeLessThan(32); // 30 s, its end moved up to 1 s to land after a sentence
    expect(c.overlapSec).toBeCloseTo(b, 1); // staging's window lies inside production's
    expect(c.overlapFraction).toBeCloseTo(b / a, 2);
    expect(c.a.runId).not.toBe(c.b.runId);
    expect(c.a.models.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['silero-vad', 'sed-mini']));
    expect(c.modelChanges).toEqual([]);
  });

  it('without episode ids compares what this variant finished lately, as a table', async () => {
    const out = await run(process.execPath, [CLI, 'compare', '--against', variantFile], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      timeout: 30_000,
    });
    expect(out.stdout).toMatch(/short-note/);
    expect(out.stdout).toMatch(/overlap/);
  });

  it('refuses a variant file with a name that is not a setting, naming it', async () => {
    const bad = path.join(env.dataDir, 'typo.env');
    await writeFile(bad, 'PODPREVIEW_QUEUE_PREFX=staging\n');
    const err = await run(process.execPath, [CLI, 'compare', '--against', bad], { cwd: REPO_ROOT, env: { ...process.env, ...env.env }, timeout: 30_000 }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toMatch(/not configuration variables: PODPREVIEW_QUEUE_PREFX/);
  });
});

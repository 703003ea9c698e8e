import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, enqueueEpisode, latestRunFor, type StageQueues, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { type Config, EnqueueRequest, loadConfig } from '@podpreview/shared';
import { REPO_ROOT, SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

// Two variants of one pipeline, both on the real pipeline and one Redis: "production" (the test
// env) shadowed by "staging" (a variant file: own queue prefix, data dir and results table,
// 30-second previews). Every episode production takes, staging runs too, on its own queues and
// into its own table; production's answer is never touched; `podpreview compare` reads both.

let env: TestEnv;
let variantFile: string;
let production: Config;
let staging: Config;
let pipelines: LocalPipeline[] = [];
let queues: StageQueues;
let runs: { production: string; staging: string };
const CLI = path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs');
const run = promisify(execFile);

beforeAll(async () => {
  env = await startTestEnv();
  const stagingPrefix = `${env.env.PODPREVIEW_QUEUE_PREFIX}-staging`;
  const vars = {
    PODPREVIEW_VARIANT: 'staging',
    PODPREVIEW_QUEUE_PREFIX: stagingPrefix,
    PODPREVIEW_DATA_DIR: path.join(env.dataDir, 'staging'),
    PODPREVIEW_PREVIEW_SEC: '30',
  };
  variantFile = path.join(env.dataDir, 'staging.env');
  await writeFile(
    variantFile,
    `# staging\n${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  production = loadConfig({ ...env.env, PODPREVIEW_SHADOW_QUEUE_PREFIX: stagingPrefix });
  // What `loadVariantConfig(variantFile)` makes of the file in a process with the test's environment.
  staging = loadConfig({ ...env.env, ...vars });
  pipelines = await Promise.all([startLocalPipeline(production, env.log), startLocalPipeline(staging, env.log)]);
  queues = createQueues(createRedis(env.redis.url, 'client'), production);
});

afterAll(async () => {
  await Promise.all(pipelines.map((p) => p.stop()));
  if (queues) await closeQueues(queues);
  await env?.cleanup();
});

describe('variants from one configuration', () => {
  it('staging shadows production: the same episode on its own queues and table, production’s answer untouched', async () => {
    const receipt = await enqueueEpisode(queues, production, EnqueueRequest.parse({ id: 'short-note', audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') }));
    expect(receipt.shadowRunId).toBeDefined();
    expect(receipt.shadowRunId).not.toBe(receipt.runId);
    const [p] = await waitForRuns(queues, [receipt.runId], { timeoutMs: 60_000 });
    const [s] = await waitForRuns(queues.shadow!, [receipt.shadowRunId!], { timeoutMs: 60_000 });
    expect([p!.state, s!.state]).toEqual(['succeeded', 'succeeded']);
    const [prodResults, stagingResults] = [pipelines[0]!.fleet.services.results, pipelines[1]!.fleet.services.results];
    expect((await prodResults.latestForEpisode('short-note'))?.runId).toBe(receipt.runId);
    expect(await prodResults.forRun(receipt.shadowRunId!)).toBeUndefined();
    expect((await stagingResults.latestForEpisode('short-note'))?.runId).toBe(receipt.shadowRunId);
    // Each row says which variant wrote it, so the two can be told apart even in one table.
    expect((await prodResults.forRun(receipt.runId))?.variant).toBe('production');
    expect((await stagingResults.forRun(receipt.shadowRunId!))?.variant).toBe('staging');
    expect(await stagingResults.latestForEpisode('short-note', ['production'])).toBeUndefined();
    expect(await latestRunFor(queues, 'short-note')).toBe(receipt.runId);
    runs = { production: receipt.runId, staging: receipt.shadowRunId! };
  });

  it('podpreview compare prints both variants’ windows of the episode, their overlap and the models', async () => {
    const out = await run(process.execPath, [CLI, 'compare', '--against', variantFile, '--json', 'short-note'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      timeout: 30_000,
    });
    const [c] = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(c.variants).toEqual([production.queuePrefix, staging.queuePrefix]);
    expect([c.a.runId, c.b.runId]).toEqual([runs.production, runs.staging]);
    const a = c.a.previewEndSec - c.a.previewStartSec;
    const b = c.b.previewEndSec - c.b.previewStartSec;
    expect(a).toBeCloseTo(41.9, 0); // the whole 42-second episode
    expect(b).toBeGreaterThan(28);
    expect(b).toBeLessThan(32); // 30 s, its end moved up to 1 s to land after a sentence
    expect(c.overlapSec).toBeCloseTo(b, 1); // staging's window lies inside production's
    expect(c.overlapFraction).toBeCloseTo(b / a, 2);
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

  it('does not shadow while the shadow’s first queue holds PODPREVIEW_SHADOW_MAX_BACKLOG episodes', async () => {
    const again = await enqueueEpisode(
      queues,
      { ...production, shadowMaxBacklog: 0 },
      EnqueueRequest.parse({ id: 'short-note', audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') }),
    );
    expect(again.shadowRunId).toBeUndefined();
    const [p] = await waitForRuns(queues, [again.runId], { timeoutMs: 60_000 });
    expect(p!.state).toBe('deduplicated'); // production answered as usual
  });
});

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, isTerminal, runStatus, type StageQueues, waitForRuns } from '@podpreview/runs';
import type { LocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest, redisTargetOf } from '@podpreview/shared';
import { REPO_ROOT, SAMPLES_DIR, type TestEnv } from './harness.ts';
import { missingBinaries, type SentinelSet, startPipelineThrough, startSentinelSet, type TopologyPipeline } from './redis-topology.ts';

// Producer, workers, dashboard and CLI reach Redis only through three sentinels, with passwords
// on the data servers and on the sentinels. The primary is killed (-9) while episodes are in
// every stage; the sentinels promote the replica, the clients follow by themselves, and every
// episode still ends with its preview. No operator step in between.

const missing = missingBinaries(['redis-server', 'redis-sentinel']);

const EPISODES = 8;
const WAIT_TIMEOUT_MS = 1000;
const PASSWORD = 'data-password-0123';
const SENTINEL_PASSWORD = 'sentinel-password-0123';
let set: SentinelSet;
let env: TestEnv;
let run: TopologyPipeline;
let pipeline: LocalPipeline;
let queues: StageQueues;
/** The run submitted once the replica had been promoted. */
let afterFailoverRunId: string | undefined;

describe('Redis Sentinel', () => {
  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`${missing.join(', ')} not installed: npm test installs them (apt-get install -y redis-sentinel)`);
    set = await startSentinelSet({ password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD });
    // Only the sentinels are configured (REDIS_URL unset).
    run = await startPipelineThrough({
      PODPREVIEW_REDIS_SENTINELS: set.sentinelList,
      PODPREVIEW_REDIS_SENTINEL_NAME: set.name,
      PODPREVIEW_REDIS_PASSWORD: PASSWORD,
      PODPREVIEW_REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
      PODPREVIEW_ENQUEUE_WAIT_REPLICAS: '1',
      PODPREVIEW_ENQUEUE_WAIT_TIMEOUT_MS: String(WAIT_TIMEOUT_MS),
    });
    ({ env, pipeline, queues } = run);
  });

  afterAll(async () => {
    await run?.stop();
    await set?.stop();
  });

  it('answers an enqueue only once the replica holds it (WAIT), or after the wait timeout', async () => {
    const req = (id: string) => EnqueueRequest.parse({ id, audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') });
    const replicated = await enqueueEpisode(queues, env.config, req('wait-replicated'));
    expect(replicated.replicas, 'the replica acknowledged the job').toBe(1);
    // A stopped replica acknowledges nothing: the enqueue waits the whole timeout, then stands.
    set.replica.child.kill('SIGSTOP');
    try {
      const t = performance.now();
      const unreplicated = await enqueueEpisode(queues, env.config, req('wait-unreplicated'));
      expect(performance.now() - t).toBeGreaterThanOrEqual(WAIT_TIMEOUT_MS - 20);
      expect(unreplicated).toMatchObject({ joined: false, replicas: 0 });
    } finally {
      set.replica.child.kill('SIGCONT');
    }
    const statuses = await waitForRuns(queues, [replicated.runId], { timeoutMs: 60_000 });
    expect(statuses[0]!.state).toBe('succeeded');
  });

  it('finishes every episode after the primary is killed mid-run, with no operator action', async () => {
    expect(redisTargetOf(env.config)).toMatchObject({ kind: 'sentinel' });
    expect(await set.primaryPort()).toBe(set.primary.port);
    const runIds: string[] = [];
    for (let i = 0; i < EPISODES; i++) {
      const req = EnqueueRequest.parse({ id: `failover-${i}`, audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') });
      runIds.push((await enqueueEpisode(queues, env.config, req)).runId);
    }
    // Mid-run: some episodes done, the rest queued or inside a stage.
    let finishedBefore = 0;
    const deadline = Date.now() + 60_000;
    while (finishedBefore < 2) {
      if (Date.now() > deadline) throw new Error('no episode finished before the kill');
      finishedBefore = (await Promise.all(runIds.map((id) => runStatus(queues, id)))).filter((s) => isTerminal(s.state)).length;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(finishedBefore).toBeLessThan(EPISODES);
    await set.primary.kill9();
    const killedAt = Date.now();

    const statuses = await waitForRuns(queues, runIds, { timeoutMs: 90_000 });
    const failoverMs = Date.now() - killedAt;
    expect(await set.primaryPort(), 'the sentinels promoted the replica').toBe(set.replica.port);
    for (const s of statuses) expect(s.state, `${s.runId}: ${s.reason ?? ''}`).toBe('succeeded');
    // Every run has its one row in the results table: nothing lost, nothing doubled.
    for (const id of runIds) expect((await pipeline.fleet.services.results.forRun(id))?.status).toBe('succeeded');
    console.info(`sentinel failover: ${finishedBefore}/${EPISODES} done at the kill; all done ${(failoverMs / 1000).toFixed(1)} s after it`);
    // And new work goes to the new primary.
    const after = await enqueueEpisode(queues, env.config, EnqueueRequest.parse({ id: 'after-failover', audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') }));
    const [late] = await waitForRuns(queues, [after.runId], { timeoutMs: 60_000 });
    expect(late!.state).toBe('succeeded');
    afterFailoverRunId = after.runId;
  });

  it('serves the dashboard, `podpreview status` and `podpreview get` through the sentinels after the failover', async () => {
    expect(await set.primaryPort()).toBe(set.replica.port);
    const processEnv = { ...process.env, ...env.env, LOG_LEVEL: 'info' };
    const status = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs'), 'status', '--json'], {
      cwd: REPO_ROOT,
      env: processEnv,
      timeout: 30_000,
    });
    const rows = status.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { stage: string; workers: number });
    expect(rows.map((r) => r.stage)).toEqual(['preprocess', 'ensemble-a', 'ensemble-b', 'selection', 'sink']);
    expect(rows.every((r) => r.workers >= 1)).toBe(true);

    // The episode's answer from Redis (found through the sentinels): the run with its stages,
    // which the results table alone would not give (its answer has no stages).
    const get = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs'), 'get', 'after-failover', '--json'], {
      cwd: REPO_ROOT,
      env: processEnv,
      timeout: 30_000,
    });
    const episode = JSON.parse(get.stdout) as { runId: string; status: string; stages: Record<string, string> };
    expect(afterFailoverRunId, 'the failover test submitted it').toBeDefined();
    expect(episode).toMatchObject({ runId: afterFailoverRunId, status: 'succeeded' });
    expect(Object.keys(episode.stages)).toEqual(['preprocess', 'ensemble-a', 'ensemble-b', 'selection', 'sink']);

    const dashboard: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/dashboard/bin/podpreview-dashboard.mjs')], {
      cwd: REPO_ROOT,
      env: { ...processEnv, PODPREVIEW_DASHBOARD_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        dashboard.stdout!.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /dashboard: (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        let err = '';
        dashboard.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
        dashboard.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${err.slice(-1000)}`)));
      });
      const metrics = await (await fetch(`${url}metrics`)).text();
      // The gauges the autoscalers read, from the promoted replica.
      expect(metrics).toMatch(/^podpreview_queue_waiting\{stage="preprocess"\} \d+/m);
      expect(metrics).toMatch(/^podpreview_queue_workers\{stage="ensemble-a"\} [1-9]/m);
    } finally {
      dashboard.kill('SIGTERM');
    }
  });
});

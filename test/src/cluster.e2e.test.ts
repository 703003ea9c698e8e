import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, ownKeyPrefix, queueBacklog, queueKeyPrefix, runStateKey, type StageQueues, waitForRuns } from '@podpreview/runs';
import type { LocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest, STAGES } from '@podpreview/shared';
import { REPO_ROOT, SAMPLES_DIR, type TestEnv } from './harness.ts';
import { type LocalCluster, missingBinaries, startPipelineThrough, startRedisCluster, type TopologyPipeline } from './redis-topology.ts';

// The pipeline on a real three-primary Redis Cluster: each stage's queue carries its own hash
// tag, so its keys share a slot (BullMQ's scripts need that) while the stages' queues land on
// different nodes; our own multi-key scripts (claims, run end) stay inside one tag.

const missing = missingBinaries(['redis-server', 'redis-cli']);

// Fixed, so where each queue's tag hashes (and so which node holds it) is the same every run.
const PREFIX = 'pp';
const PASSWORD = 'cluster-password-0123';
let cluster: LocalCluster;
let env: TestEnv;
let run: TopologyPipeline;
let pipeline: LocalPipeline;
let queues: StageQueues;

describe('Redis Cluster', () => {
  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`${missing.join(', ')} not installed: npm test installs them (apt-get install -y redis-server redis-tools)`);
    cluster = await startRedisCluster(3, PASSWORD);
    run = await startPipelineThrough({
      PODPREVIEW_REDIS_CLUSTER_NODES: cluster.nodeList,
      PODPREVIEW_REDIS_PASSWORD: PASSWORD,
      PODPREVIEW_QUEUE_PREFIX: PREFIX,
    });
    ({ env, pipeline, queues } = run);
  });

  afterAll(async () => {
    await run?.stop();
    await cluster?.stop();
  });

  it('runs episodes through every stage with the stage queues spread over the nodes', async () => {
    const nodeOfQueue = Object.fromEntries(
      await Promise.all(STAGES.map(async (s) => [s.name, await cluster.nodeOf(`${queueKeyPrefix(PREFIX, s.queue, true)}:${s.queue}:wait`)] as const)),
    );
    expect(new Set(Object.values(nodeOfQueue)).size, JSON.stringify(nodeOfQueue)).toBe(3);

    const req = (id: string) => EnqueueRequest.parse({ id, audioUri: path.join(SAMPLES_DIR, 'short-note.ogg') });
    const receipts = [];
    for (let i = 0; i < 4; i++) receipts.push(await enqueueEpisode(queues, env.config, req(`cluster-${i}`)));
    // A second request for an episode in flight joins its run: the claim scripts work in a cluster.
    const again = await enqueueEpisode(queues, env.config, req('cluster-0'));
    expect(again).toMatchObject({ joined: true, runId: receipts[0]!.runId });

    const statuses = await waitForRuns(
      queues,
      receipts.map((r) => r.runId),
      { timeoutMs: 90_000 },
    );
    for (const s of statuses) expect(s.state, `${s.runId}: ${s.reason ?? ''}`).toBe('succeeded');
    console.info(`cluster: queues by node port ${JSON.stringify(nodeOfQueue)}`);
    for (const r of receipts) expect((await pipeline.fleet.services.results.forRun(r.runId))?.status).toBe('succeeded');

    // Each stage's job really lives on the node its tag hashes to, and the run's record (ended by
    // the multi-key run-end script) on the node of the shared tag.
    const runId = receipts[0]!.runId;
    for (const s of STAGES) {
      const node = new Redis({ port: nodeOfQueue[s.name]!, host: '127.0.0.1', password: PASSWORD });
      try {
        expect(await node.exists(`${queueKeyPrefix(PREFIX, s.queue, true)}:${s.queue}:${runId}`), `${s.name} job on its node`).toBe(1);
      } finally {
        node.disconnect();
      }
    }
    // `podpreview status` and the dashboard read the same counts: every stage served, all done.
    for (const b of await queueBacklog(queues)) {
      expect(b, b.stage).toMatchObject({ waiting: 0, active: 0, failed: 0, completed: 4 });
      expect(b.workers, `${b.stage} workers`).toBeGreaterThanOrEqual(1);
    }
    // The CLI connects to the cluster on its own (connectRedis) and reads the same.
    const status = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'apps/producer/bin/podpreview.mjs'), 'status', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env },
      timeout: 30_000,
    });
    expect(
      status.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { completed: number }).completed),
    ).toEqual([4, 4, 4, 4, 4]);
    const recordKey = runStateKey(ownKeyPrefix(PREFIX, true), runId);
    const recordNode = new Redis({ port: await cluster.nodeOf(recordKey), host: '127.0.0.1', password: PASSWORD });
    try {
      expect(await recordNode.hget(recordKey, 'state')).toBe('succeeded');
    } finally {
      recordNode.disconnect();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeQueues, createQueues, createRedis, type PrivateRedis, type StageQueues, startPrivateRedis } from '@podpreview/runs';
import { type Config, loadConfig, type ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';

/** What the stage-runtime tests run on: a private Redis, a scratch data directory, its own queue prefix, a real results table. */
export interface RuntimeFixture {
  redis: PrivateRedis;
  config: Config;
  queues: StageQueues;
  sink: ResultsSink;
  close(): Promise<void>;
}

/** `settings` go over the fixture's own (Redis URL, data directory, a fresh queue prefix, silent logs). */
export async function startRuntimeFixture(name: string, settings: Record<string, string> = {}): Promise<RuntimeFixture> {
  const redis = await startPrivateRedis();
  const dataDir = await mkdtemp(path.join(tmpdir(), `podpreview-${name}-`));
  const config = loadConfig({
    REDIS_URL: redis.url,
    PODPREVIEW_DATA_DIR: dataDir,
    PODPREVIEW_QUEUE_PREFIX: `${name.slice(0, 4)}${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'silent',
    ...settings,
  });
  const queues = createQueues(createRedis(redis.url, 'client'), config);
  const sink = createResultsSink(config);
  return {
    redis,
    config,
    queues,
    sink,
    close: async () => {
      await closeQueues(queues).catch(() => {});
      await sink.close();
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

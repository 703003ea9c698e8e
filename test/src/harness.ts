import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, type Config, type Logger } from '@podpreview/shared';
import { startPrivateRedis, type PrivateRedis } from '@podpreview/runs';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples');

export interface SampleLabel {
  file: string;
  transcript: string | null;
  durationSec: number;
  segments: { kind: 'music' | 'silence' | 'speech'; startSec: number; endSec: number }[];
  sentences: { startSec: number; endSec: number; text: string }[];
}

export async function readLabels(): Promise<SampleLabel[]> {
  return JSON.parse(await readFile(path.join(SAMPLES_DIR, 'labels.json'), 'utf8')) as SampleLabel[];
}

export interface TestEnv {
  redis: PrivateRedis;
  config: Config;
  dataDir: string;
  log: Logger;
  /** Environment for child processes (workers, CLI) pointing at the same Redis and data dir. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * An isolated world per test file: its own redis-server on a free port, a temp data dir, and a
 * unique queue prefix, so tests never touch a Redis or files they did not create.
 */
export async function startTestEnv(overrides: Record<string, string> = {}, redisOptions: Parameters<typeof startPrivateRedis>[0] = {}): Promise<TestEnv> {
  const redis = await startPrivateRedis(redisOptions);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'podpreview-test-'));
  const env = {
    REDIS_URL: redis.url,
    PODPREVIEW_DATA_DIR: dataDir,
    PODPREVIEW_QUEUE_PREFIX: `t${randomUUID().slice(0, 8)}`,
    PODPREVIEW_BACKOFF_MS: '200',
    PODPREVIEW_EXECUTION_PROVIDER: 'cpu',
    // The samples, and whatever a test writes to its temp dirs.
    PODPREVIEW_INPUT_ROOTS: `${REPO_ROOT},${tmpdir()}`,
    PODPREVIEW_TEMP_DIR: path.join(dataDir, 'tmp'),
    LOG_LEVEL: 'error',
    ...overrides,
  };
  const config = loadConfig(env);
  const world: TestEnv = {
    redis,
    config,
    dataDir,
    env,
    log: createLogger(config.logLevel, { test: true }),
    cleanup: async () => {
      // The server the world has now: a test that restarts Redis puts the new one here.
      await world.redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, STAGE_NAMES } from '@podpreview/shared';
import { earlyStageAFor } from './fleet.ts';
import { createServices } from './services.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-fleet-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('stage A begun while preprocess decodes: where a fleet does it', () => {
  const decide = async (mode: string, stages: readonly (typeof STAGE_NAMES)[number][], soleConsumer: boolean) => {
    const config = loadConfig({ PODPREVIEW_DATA_DIR: dir, PODPREVIEW_EARLY_STAGE_A: mode, PODPREVIEW_CONCURRENCY_PREPROCESS: '3' }, dir);
    const services = createServices(config, createLogger('silent'));
    try {
      return earlyStageAFor(config, [...stages], services, { soleConsumer });
    } finally {
      await services.close();
    }
  };

  it('auto: only in a process that runs preprocess and stage A and is its queues’ only consumer', async () => {
    expect(await decide('auto', STAGE_NAMES, true)).toBeDefined();
    expect(await decide('auto', STAGE_NAMES, false)).toBeUndefined();
    expect(await decide('auto', ['preprocess', 'selection'], true)).toBeUndefined();
  });

  it('on: in every process that runs both; off: never', async () => {
    expect(await decide('on', ['preprocess', 'ensemble-a'], false)).toBeDefined();
    expect(await decide('on', ['ensemble-a'], false)).toBeUndefined();
    expect(await decide('off', STAGE_NAMES, true)).toBeUndefined();
  });

  it('holds as many episodes as preprocess and stage A run at once, each up to the longest audio accepted', async () => {
    const early = (await decide('on', STAGE_NAMES, false))!;
    expect(early.options.maxEpisodes).toBe(3 + 1);
    expect(early.options.maxSamples).toBe((4 * 3600 + 1) * 16_000);
  });
});

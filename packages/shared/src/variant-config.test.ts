import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariantConfig } from './config/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-variant-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a variant’s configuration file', () => {
  it('sets its variables, relative paths from the working directory, validated like the environment', async () => {
    await writeFile(
      path.join(dir, 'staging.env'),
      '# staging\nPODPREVIEW_QUEUE_PREFIX=staging\nPODPREVIEW_DATA_DIR=.data-staging\nPODPREVIEW_CONCURRENCY_SINK=3\n',
    );
    const c = loadVariantConfig('staging.env', dir);
    expect(c.queuePrefix).toBe('staging');
    expect(c.dataDir).toBe(path.join(dir, '.data-staging'));
    expect(c.concurrency.sink).toBe(3);
  });

  it('refuses a name that is not a variable, an invalid value, and a missing file, naming each', async () => {
    await writeFile(path.join(dir, 'typo.env'), 'PODPREVIEW_QUEUE_PREFX=staging\n');
    expect(() => loadVariantConfig('typo.env', dir)).toThrow(/typo.env: not configuration variables: PODPREVIEW_QUEUE_PREFX/);
    await writeFile(path.join(dir, 'bad.env'), 'PODPREVIEW_CONCURRENCY_SINK=many\n');
    expect(() => loadVariantConfig('bad.env', dir)).toThrow(/PODPREVIEW_CONCURRENCY_SINK/);
    expect(() => loadVariantConfig('absent.env', dir)).toThrow(/absent.env: cannot read the variant file/);
  });

  it('the shipped fallback variant runs CPU models without sed-mini and voice-embed, and no fallback of its own even where production has one', () => {
    const repo = fileURLToPath(new URL('../../..', import.meta.url));
    const production = { PODPREVIEW_FALLBACK_QUEUE_PREFIX: 'fallback', PODPREVIEW_SHADOW_QUEUE_PREFIX: 'staging', PODPREVIEW_EXECUTION_PROVIDER: 'cuda' };
    const c = loadVariantConfig('variants/fallback.env', repo, production);
    expect(c).toMatchObject({ variant: 'fallback', queuePrefix: 'fallback', executionProvider: 'cpu', fallback: undefined, shadowQueuePrefix: undefined });
    expect(c.modelsSkip.sort()).toEqual(['sed-mini', 'voice-embed']);
    expect(loadVariantConfig('variants/staging.env', repo, {})).toMatchObject({ variant: 'staging', queuePrefix: 'staging' });
  });
});

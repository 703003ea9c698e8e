import { describe, expect, it } from 'vitest';
import { configurationMarkdown } from './docs.ts';
import { CONFIG_DOMAINS, CONFIG_VARIABLES, loadConfig } from './index.ts';
import { ConfigError } from '../errors/index.ts';

describe('loadConfig', () => {
  it('fills defaults with units and resolves the data dir', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.redisUrl).toBeUndefined();
    expect(c.dataDir).toBe('/srv/app/.data');
    expect(c.storage).toEqual({ kind: 'local' });
    expect(c.sink).toEqual({ kind: 'local', dbPath: '/srv/app/.data/results.duckdb' });
    expect(c.concurrency['ensemble-a']).toBe(1);
    expect(c.lockDurationMs).toBe(10_000);
    expect(c.maxStalledCount).toBe(2);
    expect(c.keepIntermediateBlobs).toBe(false);
    expect(c.tempDir.endsWith('/podpreview')).toBe(true);
    // The default input root is the working directory: podpreview's own data in it is not an input.
    expect(c.inputs.roots).toEqual(['/srv/app']);
    expect(c.inputs.excluded).toEqual(expect.arrayContaining(['/srv/app/.data/blobs', '/srv/app/.data/results.duckdb', c.tempDir]));
  });

  it('reads per-stage concurrency and the cloud backends', () => {
    const c = loadConfig({ PODPREVIEW_CONCURRENCY_ENSEMBLE_B: '7', PODPREVIEW_STORAGE: 'gcs', PODPREVIEW_GCS_BUCKET: 'b', PODPREVIEW_SINK: 'bigquery' }, '/x');
    expect(c.concurrency['ensemble-b']).toBe(7);
    expect(c.storage).toMatchObject({ kind: 'gcs', bucket: 'b' });
    expect(c.sink).toMatchObject({ kind: 'bigquery', dataset: 'podpreview', table: 'previews' });
  });

  it('puts PODPREVIEW_REDIS_PASSWORD into a REDIS_URL without one (the URL in a ConfigMap, the password from a Secret)', () => {
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379', PODPREVIEW_REDIS_PASSWORD: 'p@ss:word' }).redisUrl).toBe('redis://:p%40ss%3Aword@redis:6379');
    expect(loadConfig({ REDIS_URL: 'redis://:own@redis:6379', PODPREVIEW_REDIS_PASSWORD: 'other' }).redisUrl).toBe('redis://:own@redis:6379');
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379' }).redisUrl).toBe('redis://redis:6379');
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ PODPREVIEW_CONCURRENCY_SINK: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ PODPREVIEW_CONCURRENCY_SINK: 'many' })).toThrow(/PODPREVIEW_CONCURRENCY_SINK/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ PODPREVIEW_STORAGE: 'gcs' })).toThrow(/PODPREVIEW_GCS_BUCKET/);
  });

  it('reads the variant, the models it skips and its fallback; refuses a fallback on a prefix of its own or of the fallback itself', () => {
    const c = loadConfig({ PODPREVIEW_FALLBACK_QUEUE_PREFIX: 'fallback', PODPREVIEW_FALLBACK_NORMAL_PRIORITY: 'true' }, '/x');
    expect(c.variant).toBe('production');
    expect(c.fallback).toEqual({ queuePrefix: 'fallback', afterMs: 600_000, normalPriority: true });
    expect(loadConfig({}, '/x').fallback).toBeUndefined();
    const f = loadConfig({ PODPREVIEW_VARIANT: 'fallback', PODPREVIEW_MODELS_SKIP: 'voice-embed, sed-mini' }, '/x');
    expect([f.variant, f.modelsSkip]).toEqual(['fallback', ['voice-embed', 'sed-mini']]);
    expect(() => loadConfig({ PODPREVIEW_VARIANT: 'canary' })).toThrow(/PODPREVIEW_VARIANT/);
    expect(() => loadConfig({ PODPREVIEW_MODELS_SKIP: 'voice embed' })).toThrow(/PODPREVIEW_MODELS_SKIP/);
    expect(() => loadConfig({ PODPREVIEW_FALLBACK_QUEUE_PREFIX: 'podpreview' })).toThrow(
      /PODPREVIEW_FALLBACK_QUEUE_PREFIX: must differ from PODPREVIEW_QUEUE_PREFIX/,
    );
    expect(() => loadConfig({ PODPREVIEW_FALLBACK_QUEUE_PREFIX: 's', PODPREVIEW_SHADOW_QUEUE_PREFIX: 's' })).toThrow(/must differ from PODPREVIEW_SHADOW/);
    expect(() => loadConfig({ PODPREVIEW_FALLBACK_QUEUE_PREFIX: 'f', PODPREVIEW_VARIANT: 'fallback' })).toThrow(/no fallback of its own/);
  });
});

describe('configuration domains', () => {
  it('declare each variable in one domain only (a second declaration would silently replace the first)', () => {
    const declared = CONFIG_DOMAINS.flatMap((d) => Object.keys(d.settings));
    expect(declared.length).toBe(new Set(declared).size);
    expect([...declared].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('show in the table the defaults loadConfig applies', () => {
    const table = configurationMarkdown();
    const c = loadConfig({}, '/x');
    expect(table).toContain(`| \`PODPREVIEW_LOCK_DURATION_MS\` | \`${c.lockDurationMs}\` | ms |`);
    expect(table).toContain(`| \`PODPREVIEW_HTTP_PORT\` | \`${c.httpPort}\` |  |`);
    expect(table).toContain('| `REDIS_URL` | unset |');
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ConfigError } from './errors/index.ts';

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
  });

  it('reads per-stage concurrency and the cloud backends', () => {
    const c = loadConfig({ PODPREVIEW_CONCURRENCY_ENSEMBLE_B: '7', PODPREVIEW_STORAGE: 'gcs', PODPREVIEW_GCS_BUCKET: 'b', PODPREVIEW_SINK: 'bigquery' }, '/x');
    expect(c.concurrency['ensemble-b']).toBe(7);
    expect(c.storage).toMatchObject({ kind: 'gcs', bucket: 'b' });
    expect(c.sink).toMatchObject({ kind: 'bigquery', dataset: 'podpreview', table: 'previews' });
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ PODPREVIEW_CONCURRENCY_SINK: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ PODPREVIEW_CONCURRENCY_SINK: 'many' })).toThrow(/PODPREVIEW_CONCURRENCY_SINK/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ PODPREVIEW_STORAGE: 'gcs' })).toThrow(/PODPREVIEW_GCS_BUCKET/);
  });
});

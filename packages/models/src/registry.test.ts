import { copyFile, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MANIFEST_PATH } from '@podpreview/model-manifest';
import { modelMetricsRegistry } from './metrics.ts';
import { ModelThreads } from './model-threads.ts';
import { ModelRegistry } from './registry.ts';
import { UsageMeter } from './usage.ts';
import { runSileroVad } from './vad.silero.ts';

let registry: ModelRegistry | undefined;
afterEach(async () => {
  await registry?.dispose();
  registry = undefined;
});

async function tempManifest(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-registry-'));
  const file = path.join(dir, 'manifest.json');
  await copyFile(DEFAULT_MANIFEST_PATH, file);
  // Models this project trains sit beside the manifest.
  await symlink(path.join(path.dirname(DEFAULT_MANIFEST_PATH), 'weights'), path.join(dir, 'weights'));
  return file;
}

async function editManifest(file: string, edit: (m: { models: Record<string, unknown>[] }) => void): Promise<void> {
  const m = JSON.parse(await readFile(file, 'utf8')) as { models: Record<string, unknown>[] };
  edit(m);
  await writeFile(file, JSON.stringify(m, null, 2));
}

describe('ModelRegistry', () => {
  it('two stages share a process’s model threads: disposing one stage leaves the other running', async () => {
    const threads = new ModelThreads(2);
    const a = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', threads });
    const b = await ModelRegistry.open({ stage: 'ensemble-b', provider: 'cpu', threads });
    expect(threads.size).toBe(2);
    await b.dispose();
    const lease = await a.lease();
    const r = await runSileroVad(lease.get('silero-vad'), new Float32Array(16_000), { maxBatch: 4, lanes: threads.size, sampleRateHz: 8000 });
    expect(r.probs.length).toBe(Math.ceil(16_000 / 512));
    lease.release();
    await a.dispose();
    await threads.close();
  });

  it('loads only the given stage’s models', async () => {
    registry = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu' });
    const ids = registry.loadedModelIds();
    expect(ids).toContain('silero-vad@6.2+batched');
    const b = await ModelRegistry.open({ stage: 'ensemble-b', provider: 'cpu' });
    expect(b.loadedModelIds().some((id) => id.startsWith('silero-vad'))).toBe(false);
    await b.dispose();
  });

  it('leaves out the models a variant skips, and refuses to skip a model the manifest does not have or a front end others read', async () => {
    registry = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', skip: ['voice-embed', 'sed-mini'] });
    // Nothing left reads the front end: it is not loaded either.
    expect(registry.loadedModelIds().map((id) => id.split('@')[0])).toEqual(['silero-vad']);
    await expect(ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', skip: ['audio-spectra'] })).rejects.toThrow(
      /models whose front end is skipped: sed-mini \(reads audio-spectra\), voice-embed/,
    );
    await expect(ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', skip: ['sed-maxi'] })).rejects.toThrow(
      /models to skip not in the manifest: sed-maxi/,
    );
  });

  it('picks up a new model version between jobs, while a running job keeps its own', async () => {
    const file = await tempManifest();
    registry = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', manifestPath: file });
    const running = await registry.lease();
    await editManifest(file, (m) => (m.models.find((e) => e.id === 'silero-vad')!.version = '6.2-hotfix'));
    const next = await registry.lease();
    expect(next.refs()).toContainEqual({ id: 'silero-vad', version: '6.2-hotfix' });
    expect(running.refs()).toContainEqual({ id: 'silero-vad', version: '6.2+batched' });
    // The old generation still runs for the job that leased it.
    const out = await runSileroVad(running.get('silero-vad'), new Float32Array(16_000), { maxBatch: 4 });
    expect(out.probs.length).toBe(32);
    running.release();
    next.release();
  });

  it('keeps serving the loaded models when the new manifest names a corrupt file', async () => {
    const file = await tempManifest();
    registry = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', manifestPath: file });
    await editManifest(file, (m) => {
      const e = m.models.find((x) => x.id === 'silero-vad')!;
      e.version = '9.9';
      e.sha256 = '0'.repeat(64);
    });
    const lease = await registry.lease();
    expect(lease.refs()).toContainEqual({ id: 'silero-vad', version: '6.2+batched' });
    lease.release();
  });

  it('counts inferences per model, in the metrics registry and per episode', async () => {
    registry = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu' });
    const lease = await registry.lease();
    const meter = new UsageMeter();
    const r = await runSileroVad(meter.wrap(lease.get('silero-vad')), new Float32Array(16_000 * 3), { maxBatch: 64 });
    lease.release();
    expect(meter.snapshot()['silero-vad@6.2+batched']).toMatchObject({ calls: r.runs });
    const text = await modelMetricsRegistry.metrics();
    expect(text).toMatch(/podpreview_model_inferences_total\{model="silero-vad",version="6.2\+batched"\} \d+/);
    expect(text).toMatch(/podpreview_model_load_seconds\{model="silero-vad"/);
  });
});

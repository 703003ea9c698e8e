import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MANIFEST_PATH, loadVerifiedWeights, ModelIntegrityError, readManifest, resolveModelPath } from './index.ts';

describe('the model manifest, read from its own package', () => {
  it('finds the manifest in the models package, beside the weights it names', async () => {
    expect(path.basename(path.dirname(DEFAULT_MANIFEST_PATH))).toBe('models');
    const models = await readManifest();
    const onnx = models.filter((m) => !path.isAbsolute(m.file));
    expect(onnx.length).toBeGreaterThan(0);
    for (const m of onnx) expect(existsSync(resolveModelPath(m)), m.file).toBe(true);
  });

  it('refuses weights whose sha256 differs from their entry', async () => {
    const models = (await readManifest()).filter((m) => !path.isAbsolute(m.file));
    const smallest = models.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    await expect(loadVerifiedWeights(smallest)).resolves.toHaveLength(smallest.bytes);
    await expect(loadVerifiedWeights({ ...smallest, sha256: '0'.repeat(64) })).rejects.toBeInstanceOf(ModelIntegrityError);
  });
});

describe('front ends', () => {
  it('refuses a model whose front end is missing, of another kind or of another stage', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const models = await readManifest();
    const dir = await mkdtemp(path.join(tmpdir(), 'manifest-'));
    const file = path.join(dir, 'manifest.json');
    const readers = models.filter((m) => m.frontEnd);
    expect(readers.map((m) => m.id).sort()).toEqual(['sed-mini', 'voice-embed']);
    const tryWith = async (edit: (ms: typeof models) => void) => {
      const copy = structuredClone(models);
      edit(copy);
      await writeFile(file, JSON.stringify({ models: copy }));
      return readManifest(file);
    };
    await expect(tryWith(() => {})).resolves.toHaveLength(models.length);
    await expect(tryWith((ms) => (ms.find((m) => m.id === 'sed-mini')!.frontEnd = 'nothing'))).rejects.toThrow(
      /sed-mini reads nothing, which is not a spectra model/,
    );
    await expect(tryWith((ms) => (ms.find((m) => m.id === 'sed-mini')!.frontEnd = 'silero-vad'))).rejects.toThrow(/not a spectra model/);
    await expect(tryWith((ms) => (ms.find((m) => m.kind === 'spectra')!.stage = 'ensemble-b'))).rejects.toThrow(/of stage ensemble-a/);
  });
});

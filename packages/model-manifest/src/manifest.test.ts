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

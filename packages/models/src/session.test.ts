import { describe, expect, it } from 'vitest';
import { modelsForStage, readManifest } from '@podpreview/model-manifest';
import { chooseProvider, createModelSession, ort } from './session.ts';

const hasCuda = ort.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled !== false);

describe('execution provider', () => {
  it('falls back to CPU under auto when CUDA is absent, and refuses an explicit cuda', () => {
    if (hasCuda) {
      expect(chooseProvider('auto')).toBe('cuda');
    } else {
      expect(chooseProvider('auto')).toBe('cpu');
      expect(() => chooseProvider('cuda')).toThrow(/CUDA execution provider is not installed/);
    }
    expect(chooseProvider('cpu')).toBe('cpu');
  });

  it('loads every stage-A model on CUDA (T4 machines)', async (ctx) => {
    // The only test that may skip: no CUDA build of onnxruntime or GPU exists on CPU machines.
    if (!hasCuda) ctx.skip('no CUDA execution provider: this is not a GPU machine');
    for (const entry of modelsForStage(await readManifest(), 'ensemble-a')) {
      const s = await createModelSession(entry, 'cuda');
      expect(s.provider).toBe('cuda');
      await s.dispose();
    }
  });
});

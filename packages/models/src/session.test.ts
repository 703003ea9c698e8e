import { describe, expect, it } from 'vitest';
import { modelsForStage, readManifest } from './manifest.ts';
import { chooseProvider, createModelSession, ort } from './session.ts';

const hasCuda = ort.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled !== false);
if (!hasCuda) console.log('CUDA execution provider not installed here (no GPU machine): the CUDA session test is skipped; CPU covers the rest');

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

  it.skipIf(!hasCuda)('loads every stage-A model on CUDA (T4 machines)', async () => {
    for (const entry of modelsForStage(await readManifest(), 'ensemble-a')) {
      const s = await createModelSession(entry, 'cuda');
      expect(s.provider).toBe('cuda');
      await s.dispose();
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { modelsForStage, readManifest } from '@podpreview/model-manifest';
import { ModelThreads } from './model-threads.ts';
import { createModelSession, ort } from './session.ts';

const threads: ModelThreads[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.close()));
});

async function sedOnThreads(lanes: number) {
  const entry = modelsForStage(await readManifest(), 'ensemble-a').find((m) => m.id === 'sed-mini')!;
  const t = new ModelThreads(lanes);
  threads.push(t);
  return { t, session: await createModelSession(entry, 'cpu', { threads: t }) };
}
const oneSecond = (value: number) => ({ audio: new ort.Tensor('float32', new Float32Array(16_000).fill(value), [1, 16_000]) });

describe('model threads', () => {
  it('answer concurrent calls with the same outputs as the calling thread, spread over every lane', async () => {
    const { session } = await sedOnThreads(2);
    const entry = session.entry;
    const local = await createModelSession(entry, 'cpu');
    const inputs = [0, 0.1, -0.2, 0.3].map(oneSecond);
    const [threaded, direct] = await Promise.all([Promise.all(inputs.map((f) => session.run(f))), Promise.all(inputs.map((f) => local.run(f)))]);
    for (let i = 0; i < inputs.length; i++) {
      expect(threaded[i]!.probs!.dims).toEqual([1, 3]);
      const a = threaded[i]!.probs!.data as Float32Array;
      const b = direct[i]!.probs!.data as Float32Array;
      for (let k = 0; k < 3; k++) expect(a[k]).toBeCloseTo(b[k]!, 5);
    }
    await local.dispose();
  });

  it('a thread that dies fails its calls with a reason; the next call gets a new thread with the models loaded again', async () => {
    const { t, session } = await sedOnThreads(1);
    const lane = (t as unknown as { lanes: { worker: { terminate(): Promise<number> } }[] }).lanes[0]!;
    const inFlight = session.run(oneSecond(0.1));
    await lane.worker.terminate();
    await expect(inFlight).rejects.toThrow(/model thread exited/);
    const again = await session.run(oneSecond(0.1));
    expect(again.probs!.dims).toEqual([1, 3]);
  });

  it('refuses a model ONNX Runtime cannot load, and unloaded models are gone', async () => {
    const t = new ModelThreads(1);
    threads.push(t);
    await expect(t.load('broken', new Uint8Array([1, 2, 3]), ['cpu'])).rejects.toThrow();
    const { session } = await sedOnThreads(1);
    await session.dispose();
    await expect(session.run(oneSecond(0))).rejects.toThrow(/not loaded/);
  });
});

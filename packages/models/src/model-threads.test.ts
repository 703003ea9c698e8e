import { afterEach, describe, expect, it } from 'vitest';
import { modelsForStage, readManifest } from '@podpreview/model-manifest';
import { ModelThreads } from './model-threads.ts';
import { toSharedPcm } from './pcm.ts';
import { createModelSession, ort, runKernel } from './session.ts';

const threads: ModelThreads[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.close()));
});

/** The audio front end (audio-spectra): a model over rows of audio, as the windows kernel drives. */
async function frontOnThreads(lanes: number) {
  const entry = modelsForStage(await readManifest(), 'ensemble-a').find((m) => m.id === 'audio-spectra')!;
  const t = new ModelThreads(lanes);
  threads.push(t);
  return { t, session: await createModelSession(entry, 'cpu', { threads: t }) };
}
const ROW = 16_080;
const SPECTRA = 50 * 208;
const oneSecond = (value: number) => ({
  audio: new ort.Tensor(
    'float32',
    Float32Array.from({ length: ROW }, (_, i) => value * Math.sin(i / 5)),
    [1, ROW],
  ),
});

describe('model threads', () => {
  it('answer concurrent calls with the same outputs as the calling thread, spread over every lane', async () => {
    const { session } = await frontOnThreads(2);
    const entry = session.entry;
    const local = await createModelSession(entry, 'cpu');
    const inputs = [0, 0.1, -0.2, 0.3].map(oneSecond);
    const [threaded, direct] = await Promise.all([Promise.all(inputs.map((f) => session.run(f))), Promise.all(inputs.map((f) => local.run(f)))]);
    for (let i = 0; i < inputs.length; i++) {
      expect(threaded[i]!.spectra!.dims).toEqual([1, 50, 208]);
      const a = threaded[i]!.spectra!.data as Float32Array;
      const b = direct[i]!.spectra!.data as Float32Array;
      for (let k = 0; k < SPECTRA; k += 97) expect(a[k]).toBeCloseTo(b[k]!, 4);
    }
    expect(threaded[1]!.spectra!.data).not.toEqual(threaded[2]!.spectra!.data);
    await local.dispose();
  });

  it('hand a call queued while a model loads on every lane to the first lane the load frees', async () => {
    const { t, session } = await frontOnThreads(1);
    const sed = modelsForStage(await readManifest(), 'ensemble-a').find((m) => m.id === 'sed-mini')!;
    const { loadVerifiedWeights } = await import('@podpreview/model-manifest');
    // Another stage's model loading on the shared threads (a direct call, not a queued one).
    const loading = t.load('another-stage-model', await loadVerifiedWeights(sed), ['cpu']);
    while (t.inFlight()[0] === 0) await new Promise((r) => setImmediate(r));
    const queued = session.run(oneSecond(0.2));
    await loading;
    // Before the fix the call stayed queued: nothing dispatched it once the load had ended.
    const out = await Promise.race([queued, new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 5000))]);
    expect(out).not.toBe('stuck');
    await t.unload('another-stage-model');
  });

  it('run a kernel over shared PCM as the calling thread does, kernels started together on different lanes', async () => {
    const { t, session } = await frontOnThreads(2);
    const local = await createModelSession(session.entry, 'cpu');
    const pcm = toSharedPcm(Int16Array.from({ length: 16_000 * 6 }, (_, i) => Math.round(8000 * Math.sin(i / 7) * (i % 16_000 < 8000 ? 1 : 0.1))));
    const plan = (first: number) => ({ first, count: 5, hop: 8000, width: ROW, maxBatch: 2, output: 'spectra', outputWidth: SPECTRA, label: 'audio-spectra' });
    const both = Promise.all([runKernel(session, 'windows', pcm, plan(0)), runKernel(session, 'windows', pcm, plan(5))]);
    expect(t.inFlight()).toEqual([1, 1]);
    const [a, b] = await both;
    const direct = await runKernel(local, 'windows', pcm, plan(0));
    expect(a.items).toEqual([2, 2, 1]);
    expect(a.values.length).toBe(5 * SPECTRA);
    for (let k = 0; k < 5 * SPECTRA; k += 101) expect(a.values[k]).toBeCloseTo(direct.values[k]!, 4);
    // Windows 5… start where the audio is quieter: a different answer, not a copy of the first.
    expect([...b.values]).not.toEqual([...a.values]);
    await local.dispose();
  });

  it('give a priority job’s call the next free lane, ahead of calls queued before it', async () => {
    const { session } = await frontOnThreads(1);
    const pcm = toSharedPcm(new Int16Array(16_000 * 4));
    const plan = { first: 0, count: 4, hop: 8000, width: ROW, maxBatch: 2, output: 'spectra', outputWidth: SPECTRA, label: 'audio-spectra' };
    const done: string[] = [];
    const call = (name: string, urgent: boolean) => runKernel(session, 'windows', pcm, plan, { urgent }).then(() => done.push(name));
    await Promise.all([call('normal-1', false), call('normal-2', false), call('normal-3', false), call('urgent', true)]);
    // normal-1 had the lane already; the priority call went next.
    expect(done).toEqual(['normal-1', 'urgent', 'normal-2', 'normal-3']);
  });

  it('a thread that dies fails its calls with a reason; the next call gets a new thread with the models loaded again', async () => {
    const { t, session } = await frontOnThreads(1);
    const lane = (t as unknown as { lanes: { worker: { terminate(): Promise<number> } }[] }).lanes[0]!;
    const inFlight = session.run(oneSecond(0.1));
    await lane.worker.terminate();
    await expect(inFlight).rejects.toThrow(/model thread exited/);
    const again = await session.run(oneSecond(0.1));
    expect(again.spectra!.dims).toEqual([1, 50, 208]);
  });

  it('close lets the models loading finish before it stops the threads (a thread stopped inside ONNX Runtime aborted the process), and refuses loads after', async () => {
    const entries = modelsForStage(await readManifest(), 'ensemble-a');
    for (let round = 0; round < 4; round++) {
      const t = new ModelThreads(2);
      const loading = entries.map((entry) =>
        createModelSession(entry, 'cpu', { threads: t }).then(
          () => 'loaded',
          (err: Error) => err.message,
        ),
      );
      // Closed while the models load, as when `enqueue --wait --timeout` gives up early.
      await new Promise((r) => setTimeout(r, round * 15));
      await t.close();
      for (const outcome of await Promise.all(loading)) expect(outcome).toMatch(/loaded|model threads are closed/);
      await expect(t.load('late', new Uint8Array([1]), ['cpu'])).rejects.toThrow(/closed/);
    }
  });

  it('refuses a model ONNX Runtime cannot load, and unloaded models are gone', async () => {
    const t = new ModelThreads(1);
    threads.push(t);
    await expect(t.load('broken', new Uint8Array([1, 2, 3]), ['cpu'])).rejects.toThrow();
    const { session } = await frontOnThreads(1);
    await session.dispose();
    await expect(session.run(oneSecond(0))).rejects.toThrow(/not loaded/);
  });
});

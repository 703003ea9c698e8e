// A model thread: ONNX Runtime sessions for one stage's models, run off the event loop.
// onnxruntime-node runs inference synchronously on the calling thread, so sessions on the main
// thread serialize every model call and block the event loop (lock renewals, HTTP, metrics)
// while they run; a few of these threads run them in parallel instead.
// Plain JavaScript so it starts the same from the sources, from a bundle and in the images.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { KERNELS } from './kernels.mjs';

const sessions = new Map();

/** What a kernel needs of the session loaded under `key`. */
function modelOf(key) {
  const session = sessions.get(key);
  if (!session) throw new Error(`model ${key} is not loaded on this thread`);
  return { run: (feeds) => session.run(feeds), Tensor: ort.Tensor };
}

async function handle(m) {
  switch (m.op) {
    case 'load': {
      const session = await ort.InferenceSession.create(m.weights, {
        executionProviders: m.providers,
        graphOptimizationLevel: 'all',
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        // A memory pattern is planned (and kept) per input shape, and batch sizes vary: without
        // it a 30-minute episode's peak memory is about 15 MB lower at the same speed.
        enableMemPattern: false,
      });
      sessions.set(m.key, session);
      return {};
    }
    case 'unload': {
      await sessions.get(m.key)?.release();
      sessions.delete(m.key);
      return {};
    }
    case 'run': {
      const session = sessions.get(m.key);
      if (!session) throw new Error(`model ${m.key} is not loaded on this thread`);
      const feeds = {};
      for (const [name, t] of Object.entries(m.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const out = await session.run(feeds);
      const outputs = {};
      for (const [name, t] of Object.entries(out)) outputs[name] = { type: t.type, dims: t.dims, data: t.data };
      return { outputs };
    }
    case 'kernel': {
      const kernel = KERNELS[m.name];
      if (!kernel) throw new Error(`unknown kernel ${m.name}`);
      const r = await kernel(modelOf(m.key), m.samples, m.plan, modelOf);
      return { kernel: r, transfer: [r.values.buffer] };
    }
    default:
      throw new Error(`unknown op ${m.op}`);
  }
}

parentPort.on('message', (m) => {
  handle(m).then(
    ({ transfer, ...r }) => parentPort.postMessage({ id: m.id, ...r }, transfer ?? []),
    (err) => parentPort.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});

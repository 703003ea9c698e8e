import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { KernelName, KernelPlans, KernelResult, Pcm } from './kernels.mjs';

type Feeds = Record<string, ort.Tensor>;
type Outputs = Record<string, ort.Tensor>;
interface WireTensor {
  type: ort.Tensor.Type;
  dims: readonly number[];
  data: ort.Tensor.DataType;
}
interface Reply {
  id: number;
  outputs?: Record<string, WireTensor>;
  kernel?: KernelResult;
  error?: string;
}
interface Lane {
  worker: Worker;
  pending: Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>;
  /** Calls given this lane that wait for its models to load (not yet in `pending`). */
  waiting: number;
  /** The models loaded on this lane (a restarted lane loads them again). */
  ready: Promise<void>;
}
interface Queued {
  message: Record<string, unknown>;
  urgent: boolean;
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}
interface Loaded {
  weights: Uint8Array;
  providers: string[];
}

const THREAD_SCRIPT = new URL('./session.thread.mjs', import.meta.url);

/**
 * A stage's model threads: `lanes` threads, each holding a session of every loaded model, so
 * up to `lanes` inference calls run at once and none blocks the event loop (onnxruntime-node
 * runs inference synchronously on the calling thread). Calls wait in one queue, priority jobs'
 * first, and each lane takes the next as it becomes free. A lane whose thread dies fails its
 * calls (the job retries) and is replaced, with the models loaded again, at the next call.
 */
export class ModelThreads {
  private readonly lanes: (Lane | undefined)[];
  private readonly models = new Map<string, Loaded>();
  private nextId = 0;
  private closed = false;
  /** Calls waiting for a lane, priority jobs' first. */
  private readonly queue: Queued[] = [];
  /** Calls posted to a thread and not yet answered: close waits for them. */
  private readonly posted = new Set<Promise<unknown>>();

  constructor(lanes: number) {
    if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`model threads must be a positive integer, got ${lanes}`);
    this.lanes = Array.from({ length: lanes }, () => undefined);
  }

  get size(): number {
    return this.lanes.length;
  }

  /** Calls given each lane and not yet answered (at most one each). */
  inFlight(): number[] {
    return this.lanes.map((l) => (l ? l.pending.size + l.waiting : 0));
  }

  /** Loads a model on every lane; a model ONNX Runtime cannot load fails here. */
  async load(key: string, weights: Uint8Array, providers: string[]): Promise<void> {
    if (this.closed) throw new Error(`model threads are closed (${key})`);
    const lanes = this.lanes.map((_, i) => this.lane(i));
    try {
      await Promise.all(
        lanes.map(async (lane) => {
          await lane.ready;
          await this.call(lane, { op: 'load', key, weights, providers });
        }),
      );
    } catch (err) {
      await this.unload(key);
      throw err;
    }
    this.models.set(key, { weights, providers });
  }

  async unload(key: string): Promise<void> {
    this.models.delete(key);
    await Promise.allSettled(this.lanes.filter((l) => l).map((l) => this.call(l!, { op: 'unload', key })));
  }

  /** One inference call, behind the calls already waiting for a lane. */
  async run(key: string, feeds: Feeds): Promise<Outputs> {
    const wire: Record<string, WireTensor> = {};
    for (const [name, t] of Object.entries(feeds)) wire[name] = { type: t.type, dims: t.dims, data: t.data };
    const r = await this.submit({ op: 'run', key, feeds: wire }, key, false);
    const outputs: Outputs = {};
    for (const [name, t] of Object.entries(r.outputs ?? {})) outputs[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    return outputs;
  }

  /**
   * Runs a kernel (kernels.mjs) on the next free lane: one message each way for a whole
   * stretch of audio. `samples` in shared memory are read in place; others are copied over.
   * `urgent` (a priority job's) goes ahead of the calls waiting for a lane.
   */
  async kernel<K extends KernelName>(key: string, name: K, samples: Pcm, plan: KernelPlans[K], o: { urgent?: boolean } = {}): Promise<KernelResult> {
    const r = await this.submit({ op: 'kernel', key, name, samples, plan }, key, o.urgent === true);
    if (!r.kernel) throw new Error(`model thread returned no kernel result (${key}, ${name})`);
    return r.kernel;
  }

  /**
   * Takes no more calls, lets the calls already in a thread end, then stops the threads: a thread
   * stopped inside ONNX Runtime (a model loading, as when the CLI gives up waiting while the
   * models still load) took the whole process down with an uncaught native exception.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new Error('model threads are closed'));
    await Promise.allSettled([...this.posted]);
    await Promise.all(this.lanes.map((l) => l?.worker.terminate()));
  }

  /**
   * Queues a call for the next free lane: each lane runs one call at a time, so a priority
   * job's call waits for at most the calls already running, not for every call queued before it.
   */
  private submit(message: Record<string, unknown>, key: string, urgent: boolean): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error(`model threads are closed (${key})`));
    return new Promise<Reply>((resolve, reject) => {
      const item: Queued = { message, urgent, resolve, reject };
      const at = urgent ? this.queue.findIndex((q) => !q.urgent) : -1;
      this.queue.splice(at === -1 ? this.queue.length : at, 0, item);
      this.dispatch();
    });
  }

  /** Gives queued calls to idle lanes; a lane counts as busy from the moment it is given one. */
  private dispatch(): void {
    const load = this.inFlight();
    for (let i = 0; i < this.lanes.length && this.queue.length > 0; i++) {
      if (load[i]! > 0) continue;
      const item = this.queue.shift()!;
      const lane = this.lane(i);
      lane.waiting++;
      lane.ready
        .finally(() => lane.waiting--)
        .then(() => this.call(lane, item.message))
        .then(item.resolve, item.reject)
        .finally(() => this.dispatch());
    }
  }

  private call(lane: Lane, message: Record<string, unknown>): Promise<Reply> {
    // A call that waited for its lane's models while the threads closed goes no further.
    if (this.closed && message.op !== 'unload') return Promise.reject(new Error('model threads are closed'));
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve, reject) => {
      lane.pending.set(id, { resolve, reject });
      // Only a lane with calls in flight keeps the process alive.
      lane.worker.ref();
      lane.worker.postMessage({ ...message, id });
    }).finally(() => {
      this.posted.delete(reply);
      if (lane.pending.size === 0) lane.worker.unref();
      // Any reply may free the lane: a model loading (another stage's, sharing these threads)
      // kept calls queued, and nothing else would hand them on once it has loaded.
      this.dispatch();
    });
    this.posted.add(reply);
    return reply;
  }

  /** The lane's thread, started (and given every loaded model) if it is not running. */
  private lane(i: number): Lane {
    const existing = this.lanes[i];
    if (existing) return existing;
    if (this.closed) throw new Error('model threads are closed');
    const worker = new Worker(THREAD_SCRIPT);
    worker.unref();
    const lane: Lane = { worker, pending: new Map(), waiting: 0, ready: Promise.resolve() };
    const ended = (why: Error) => {
      for (const p of lane.pending.values()) p.reject(why);
      lane.pending.clear();
      if (this.lanes[i] === lane) this.lanes[i] = undefined;
    };
    worker.on('error', (err) => ended(new Error(`model thread failed: ${err.message}`)));
    worker.on('exit', (code) => ended(new Error(`model thread exited with code ${code}`)));
    worker.on('message', (m: Reply) => {
      const p = lane.pending.get(m.id);
      if (!p) return;
      lane.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m);
    });
    this.lanes[i] = lane;
    const models = [...this.models];
    lane.ready = Promise.all(models.map(([key, m]) => this.call(lane, { op: 'load', key, weights: m.weights, providers: m.providers }))).then(() => undefined);
    // A failed replay shows in the first call that waits on it.
    lane.ready.catch(() => {});
    return lane;
  }
}

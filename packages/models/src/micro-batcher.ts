import { ort, type ModelSession } from './session.ts';

type Feeds = Record<string, ort.Tensor>;
type Outputs = Record<string, ort.Tensor>;

interface Pending {
  feeds: Feeds;
  items: number;
  shapeKey: string;
  resolve: (o: Outputs) => void;
  reject: (e: unknown) => void;
}

export interface MicroBatchOptions {
  maxBatch: number;
  maxWaitMs: number;
  /** Called once per real inference with the merged batch size and its latency. */
  onBatch?: (items: number, ms: number) => void;
}

/**
 * Gathers `run` calls from concurrent jobs into one inference: requests wait up to `maxWaitMs`
 * for company, or go as soon as `maxBatch` items are queued. On a GPU one batch of 64 costs
 * little more than one of 8, so merging is where throughput comes from. Every input must carry
 * the batch as dim 0 and items must be independent (stateless models); requests whose other
 * dims differ are never merged with each other.
 */
export class MicroBatcher implements Pick<ModelSession, 'run'> {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: Pick<ModelSession, 'run'>,
    private readonly o: MicroBatchOptions,
  ) {}

  run(feeds: Feeds): Promise<Outputs> {
    const first = Object.values(feeds)[0];
    if (!first || first.dims.length === 0) return this.inner.run(feeds);
    const items = first.dims[0]!;
    const shapeKey = Object.entries(feeds)
      .map(([k, t]) => `${k}:${t.type}:${t.dims.slice(1).join('x')}`)
      .join('|');
    return new Promise((resolve, reject) => {
      this.queue.push({ feeds, items, shapeKey, resolve, reject });
      if (this.queuedItems(shapeKey) >= this.o.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.o.maxWaitMs);
    });
  }

  private queuedItems(shapeKey: string): number {
    return this.queue.reduce((n, p) => n + (p.shapeKey === shapeKey ? p.items : 0), 0);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const key = this.queue[0]!.shapeKey;
      const group: Pending[] = [];
      let items = 0;
      // A request bigger than maxBatch still runs (alone): splitting it is the caller's job.
      for (const p of this.queue) {
        if (p.shapeKey !== key) continue;
        if (group.length > 0 && items + p.items > this.o.maxBatch) break;
        group.push(p);
        items += p.items;
      }
      this.queue = this.queue.filter((p) => !group.includes(p));
      void this.runGroup(group, items);
    }
  }

  private async runGroup(group: Pending[], items: number): Promise<void> {
    const started = performance.now();
    try {
      const out = group.length === 1 ? await this.inner.run(group[0]!.feeds) : await this.inner.run(concatFeeds(group));
      this.o.onBatch?.(items, performance.now() - started);
      if (group.length === 1) return group[0]!.resolve(out);
      let offset = 0;
      for (const p of group) {
        p.resolve(sliceOutputs(out, offset, p.items));
        offset += p.items;
      }
    } catch (err) {
      for (const p of group) p.reject(err);
    }
  }
}

function concatFeeds(group: Pending[]): Feeds {
  const merged: Feeds = {};
  for (const name of Object.keys(group[0]!.feeds)) {
    const parts = group.map((p) => p.feeds[name]!);
    const rest = parts[0]!.dims.slice(1);
    const total = parts.reduce((n, t) => n + t.dims[0]!, 0);
    const Ctor = (parts[0]!.data as Float32Array).constructor as new (n: number) => Float32Array;
    const data = new Ctor(parts.reduce((n, t) => n + t.data.length, 0));
    let at = 0;
    for (const t of parts) {
      data.set(t.data as Float32Array, at);
      at += t.data.length;
    }
    merged[name] = new ort.Tensor(parts[0]!.type as 'float32', data, [total, ...rest]);
  }
  return merged;
}

function sliceOutputs(out: Outputs, offset: number, items: number): Outputs {
  const sliced: Outputs = {};
  for (const [name, t] of Object.entries(out)) {
    const per = t.data.length / t.dims[0]!;
    const data = (t.data as Float32Array).slice(offset * per, (offset + items) * per);
    sliced[name] = new ort.Tensor(t.type as 'float32', data, [items, ...t.dims.slice(1)]);
  }
  return sliced;
}

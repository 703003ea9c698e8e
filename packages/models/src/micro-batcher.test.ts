import { describe, expect, it, vi } from 'vitest';
import { MicroBatcher } from './micro-batcher.ts';
import { ort } from './session.ts';

/** An inner "model" that doubles its input and records each batch it was given. */
function doubler() {
  const batches: number[] = [];
  return {
    batches,
    run: async (feeds: Record<string, ort.Tensor>) => {
      const x = feeds.x!;
      batches.push(x.dims[0]!);
      const out = Float32Array.from(x.data as Float32Array, (v) => v * 2);
      return { y: new ort.Tensor('float32', out, x.dims) };
    },
  };
}
const item = (values: number[]) => ({ x: new ort.Tensor('float32', Float32Array.from(values), [1, values.length]) });

describe('MicroBatcher', () => {
  it('merges concurrent requests into one call and gives each caller its own rows', async () => {
    const inner = doubler();
    const b = new MicroBatcher(inner, { maxBatch: 8, maxWaitMs: 20 });
    const outs = await Promise.all([1, 2, 3].map((k) => b.run(item([k, k + 10]))));
    expect(inner.batches).toEqual([3]);
    expect(outs.map((o) => Array.from(o.y!.data as Float32Array))).toEqual([
      [2, 22],
      [4, 24],
      [6, 26],
    ]);
    expect(outs[0]!.y!.dims).toEqual([1, 2]);
  });

  it('runs at once when maxBatch items are queued, without waiting out maxWaitMs', async () => {
    const inner = doubler();
    // Timers are frozen: had the batcher waited for maxWaitMs, nothing would have run.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const b = new MicroBatcher(inner, { maxBatch: 2, maxWaitMs: 10_000 });
      let settled = false;
      const all = Promise.all([b.run(item([1])), b.run(item([2])), b.run(item([3])), b.run(item([4]))]).then(() => (settled = true));
      await new Promise((r) => setImmediate(r));
      expect(settled).toBe(true);
      await all;
      expect(inner.batches).toEqual([2, 2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never merges requests whose shapes differ', async () => {
    const inner = doubler();
    const b = new MicroBatcher(inner, { maxBatch: 8, maxWaitMs: 5 });
    const [a, c] = await Promise.all([b.run(item([1, 2])), b.run(item([1, 2, 3]))]);
    expect(inner.batches.sort()).toEqual([1, 1]);
    expect(Array.from(c!.y!.data as Float32Array)).toEqual([2, 4, 6]);
    expect(a!.y!.dims).toEqual([1, 2]);
  });

  it('rejects every caller of a failed batch', async () => {
    const b = new MicroBatcher({ run: async () => Promise.reject(new Error('boom')) }, { maxBatch: 4, maxWaitMs: 1 });
    const results = await Promise.allSettled([b.run(item([1])), b.run(item([2]))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});

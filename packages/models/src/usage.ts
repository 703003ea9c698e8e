import type { ModelSession } from './session.ts';

export interface ModelUsage {
  calls: number;
  items: number;
  inferenceMs: number;
}

/**
 * Per-episode model totals for the result row: how many inference calls each model made for
 * this episode, over how many items, and the time spent waiting on them.
 */
export class UsageMeter {
  private readonly totals = new Map<string, ModelUsage>();

  wrap(session: ModelSession): ModelSession {
    const key = `${session.entry.id}@${session.entry.version}`;
    const add = (calls: number, items: number, ms: number) => {
      const u = this.totals.get(key) ?? { calls: 0, items: 0, inferenceMs: 0 };
      u.calls += calls;
      u.items += items;
      u.inferenceMs += ms;
      this.totals.set(key, u);
    };
    const { kernel, account } = session;
    return {
      ...session,
      account: (items, ms) => {
        add(
          items.length,
          items.reduce((a, b) => a + b, 0),
          ms.reduce((a, b) => a + b, 0),
        );
        account?.call(session, items, ms);
      },
      run: async (feeds) => {
        const started = performance.now();
        const out = await session.run(feeds);
        const first = Object.values(feeds)[0];
        add(1, first && first.dims.length > 0 ? first.dims[0]! : 1, performance.now() - started);
        return out;
      },
      ...(kernel
        ? {
            kernel: async (name, samples, plan, o) => {
              const r = await kernel.call(session, name, samples, plan, o);
              add(
                r.items.length,
                r.items.reduce((a, b) => a + b, 0),
                r.ms.reduce((a, b) => a + b, 0),
              );
              return r;
            },
          }
        : {}),
    };
  }

  snapshot(): Record<string, ModelUsage> {
    return Object.fromEntries([...this.totals].map(([k, u]) => [k, { ...u, inferenceMs: Math.round(u.inferenceMs) }]));
  }
}

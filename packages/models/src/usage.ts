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
    return {
      ...session,
      run: async (feeds) => {
        const started = performance.now();
        const out = await session.run(feeds);
        const u = this.totals.get(key) ?? { calls: 0, items: 0, inferenceMs: 0 };
        const first = Object.values(feeds)[0];
        u.calls++;
        u.items += first && first.dims.length > 0 ? first.dims[0]! : 1;
        u.inferenceMs += performance.now() - started;
        this.totals.set(key, u);
        return out;
      },
    };
  }

  snapshot(): Record<string, ModelUsage> {
    return Object.fromEntries([...this.totals].map(([k, u]) => [k, { ...u, inferenceMs: Math.round(u.inferenceMs) }]));
  }
}

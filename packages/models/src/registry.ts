import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Logger, ModelRef, StageName } from '@podpreview/shared';
import { DEFAULT_MANIFEST_PATH, modelsForStage, readManifest, type ModelEntry } from '@podpreview/model-manifest';
import { modelMetrics } from './metrics.ts';
import { MicroBatcher } from './micro-batcher.ts';
import { ModelThreads } from './model-threads.ts';
import { createModelSession, type ModelSession, modelKey } from './session.ts';

/** The models one job uses: fixed for the job's lifetime even if the manifest changes meanwhile. */
export interface ModelLease {
  readonly entries: readonly ModelEntry[];
  has(id: string): boolean;
  get(id: string): ModelSession;
  refs(): ModelRef[];
  release(): void;
}

interface Generation {
  manifestHash: string;
  sessions: Map<string, ModelSession>;
  leases: number;
  retired: boolean;
}

/**
 * One stage's models in one process: loaded once, shared by every job, and swapped without a
 * restart when the manifest changes (a new model version). Each job leases the current
 * generation; an old generation is disposed when its last job releases it. A manifest that
 * fails to load (bad sha256, missing file) is logged and the running generation stays.
 */
export class ModelRegistry {
  private generation: Generation | undefined;
  private checkedAt = { mtimeMs: -1, size: -1 };
  private reloading: Promise<void> | undefined;

  private constructor(
    private readonly stage: StageName,
    private readonly provider: 'cpu' | 'cuda',
    private readonly manifestPath: string,
    private readonly log: Logger | undefined,
    private readonly threads: ModelThreads | undefined,
    private readonly skip: ReadonlySet<string>,
    /** The threads are the registry's own (closed with it), not a process's shared ones. */
    private readonly ownsThreads: boolean,
  ) {}

  /**
   * `threads`: the stage's model threads (0 or unset: models run on the calling thread); see
   * ModelThreads. Or a process's threads, shared by its stages' registries: one set of threads
   * (and their memory) for both model stages of an all-in-one process. `skip`: ids of manifest models this process does not load (a variant's cheap
   * set, PODPREVIEW_MODELS_SKIP); an id the manifest does not have is refused.
   */
  static async open(o: {
    stage: StageName;
    provider: 'cpu' | 'cuda';
    manifestPath?: string;
    log?: Logger;
    threads?: number | ModelThreads;
    skip?: readonly string[];
  }): Promise<ModelRegistry> {
    const shared = o.threads instanceof ModelThreads;
    const threads = o.provider !== 'cpu' || !o.threads ? undefined : shared ? (o.threads as ModelThreads) : new ModelThreads(o.threads as number);
    const r = new ModelRegistry(o.stage, o.provider, o.manifestPath ?? DEFAULT_MANIFEST_PATH, o.log, threads, new Set(o.skip ?? []), !shared);
    try {
      await r.refresh(true);
    } catch (err) {
      if (!shared) await threads?.close();
      throw err;
    }
    return r;
  }

  /** Leases the current models, picking up a changed manifest first (a stat call when unchanged). */
  async lease(): Promise<ModelLease> {
    await this.refresh(false).catch((err: unknown) =>
      this.log?.error({ err: String(err), stage: this.stage }, 'model manifest reload failed; keeping the loaded models'),
    );
    const gen = this.generation!;
    gen.leases++;
    let released = false;
    const entries = [...gen.sessions.values()].map((s) => s.entry);
    return {
      entries,
      has: (id) => entries.some((e) => e.id === id),
      get: (id) => {
        const s = [...gen.sessions.values()].find((x) => x.entry.id === id);
        if (!s) throw new Error(`model ${id} is not loaded for ${this.stage} (loaded: ${entries.map((e) => e.id).join(', ') || 'none'})`);
        return s;
      },
      refs: () => entries.map((e) => ({ id: e.id, version: e.version })),
      release: () => {
        if (released) return;
        released = true;
        gen.leases--;
        if (gen.retired && gen.leases === 0) void this.disposeGeneration(gen, this.generation);
      },
    };
  }

  loadedEntries(): ModelEntry[] {
    return [...(this.generation?.sessions.values() ?? [])].map((s) => s.entry);
  }

  loadedModelIds(): string[] {
    return [...(this.generation?.sessions.values() ?? [])].map((s) => `${s.entry.id}@${s.entry.version}`);
  }

  async dispose(): Promise<void> {
    if (this.generation) await this.disposeGeneration(this.generation, undefined);
    this.generation = undefined;
    if (this.ownsThreads) await this.threads?.close();
  }

  private async refresh(initial: boolean): Promise<void> {
    const st = await stat(this.manifestPath);
    if (!initial && st.mtimeMs === this.checkedAt.mtimeMs && st.size === this.checkedAt.size) return;
    this.reloading ??= this.reload(st).finally(() => (this.reloading = undefined));
    await this.reloading;
  }

  private async reload(st: { mtimeMs: number; size: number }): Promise<void> {
    const text = await readFile(this.manifestPath, 'utf8');
    const manifestHash = createHash('sha256').update(text).digest('hex');
    this.checkedAt = { mtimeMs: st.mtimeMs, size: st.size };
    if (this.generation?.manifestHash === manifestHash) return;
    const manifest = await readManifest(this.manifestPath);
    const unknown = [...this.skip].filter((id) => !manifest.some((e) => e.id === id));
    if (unknown.length > 0) throw new Error(`models to skip not in the manifest: ${unknown.join(', ')} (it has ${manifest.map((e) => e.id).join(', ')})`);
    const kept = modelsForStage(manifest, this.stage).filter((e) => !this.skip.has(e.id));
    // A model never runs without the front end it reads (skipping one would skip the model
    // silently), and a front end that no loaded model reads is not loaded.
    const orphans = kept.filter((e) => e.frontEnd && !kept.some((f) => f.id === e.frontEnd));
    if (orphans.length > 0) throw new Error(`models whose front end is skipped: ${orphans.map((e) => `${e.id} (reads ${e.frontEnd})`).join(', ')}`);
    const entries = kept.filter((e) => e.kind !== 'spectra' || kept.some((r) => r.frontEnd === e.id));
    const old = this.generation;
    const sessions = new Map<string, ModelSession>();
    for (const entry of entries) {
      const reused = old?.sessions.get(modelKey(entry));
      sessions.set(modelKey(entry), reused ?? (await this.load(entry)));
    }
    this.generation = { manifestHash, sessions, leases: 0, retired: false };
    if (old) {
      old.retired = true;
      this.log?.info({ stage: this.stage, models: this.loadedModelIds() }, 'model manifest changed; new jobs use the new models');
      if (old.leases === 0) await this.disposeGeneration(old, this.generation);
    }
  }

  private async load(entry: ModelEntry): Promise<ModelSession> {
    const raw = await createModelSession(entry, this.provider, { manifestPath: this.manifestPath, ...(this.threads ? { threads: this.threads } : {}) });
    const labels = { model: entry.id, version: entry.version };
    modelMetrics.loadSeconds.set(labels, raw.loadMs / 1000);
    modelMetrics.bytes.set(labels, entry.bytes);
    const record = (items: number, ms: number) => {
      modelMetrics.inferences.inc(labels);
      modelMetrics.batchSize.observe(labels, items);
      modelMetrics.batchSeconds.observe(labels, ms / 1000);
    };
    // A kernel on a model thread reports its calls when it ends; another model's kernel that
    // ran this one (a front end's heads) reports them through `account`.
    const account = (items: readonly number[], ms: readonly number[]) => {
      for (const [i, n] of items.entries()) record(n, ms[i] ?? 0);
    };
    const kernel: Pick<ModelSession, 'kernel' | 'account'> = raw.kernel
      ? {
          account,
          kernel: async (name, samples, plan, o) => {
            const r = await raw.kernel!(name, samples, plan, o);
            for (const [i, items] of r.items.entries()) record(items, r.ms[i] ?? 0);
            return r;
          },
        }
      : { account };
    // Stateful or scalar-input models (the VAD) batch inside their runner instead.
    if (entry.kind === 'vad' || entry.batching.maxBatch <= 1) {
      return {
        ...raw,
        ...kernel,
        run: async (feeds) => {
          const started = performance.now();
          const out = await raw.run(feeds);
          const first = Object.values(feeds)[0];
          record(first && first.dims.length > 0 ? first.dims[0]! : 1, performance.now() - started);
          return out;
        },
      };
    }
    const batcher = new MicroBatcher(raw, { maxBatch: entry.batching.maxBatch, maxWaitMs: entry.batching.maxWaitMs, onBatch: record });
    return { ...raw, ...kernel, run: (feeds) => batcher.run(feeds) };
  }

  /** Disposes the sessions of `gen` that `keep` does not share. */
  private async disposeGeneration(gen: Generation, keep: Generation | undefined): Promise<void> {
    const kept = new Set(keep?.sessions.values() ?? []);
    await Promise.allSettled([...gen.sessions.values()].filter((s) => !kept.has(s)).map((s) => s.dispose()));
  }
}

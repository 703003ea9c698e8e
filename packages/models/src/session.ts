import * as ort from 'onnxruntime-node';
import type { Logger } from '@podpreview/shared';
import { loadVerifiedWeights, type ModelEntry } from '@podpreview/model-manifest';
import { KERNELS, type KernelName, type KernelPlans, type KernelResult, type Pcm } from './kernels.mjs';
import type { ModelThreads } from './model-threads.ts';

export type ExecutionProviderChoice = 'cpu' | 'cuda' | 'auto';

/** Our own session surface, so stage code never imports onnxruntime directly. */
export interface ModelSession {
  readonly entry: ModelEntry;
  /** Names the model where it is loaded (its model threads): id, version and sha256. */
  readonly key: string;
  readonly provider: 'cpu' | 'cuda';
  readonly loadMs: number;
  /** Calls that run in parallel (model threads); runners keep this many in flight. */
  readonly lanes: number;
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  /**
   * Runs a kernel (kernels.mjs) where the model lives: on a model thread, reading `samples` in
   * place when they are in shared memory (toSharedPcm). Absent where the model runs on the
   * calling thread: runKernel then drives it through `run`.
   */
  kernel?<K extends KernelName>(name: K, samples: Pcm, plan: KernelPlans[K], o?: KernelOptions): Promise<KernelResult>;
  /**
   * Counts calls of this model that another model's kernel made (the spectral kernel runs its
   * heads): metrics and per-run usage see them as this model's.
   */
  account?(items: readonly number[], ms: readonly number[]): void;
  dispose(): Promise<void>;
}

export interface KernelOptions {
  /** A priority job's: it goes ahead of the calls waiting for a model thread. */
  urgent?: boolean;
}

/**
 * A kernel over `session`: on its model thread when it has one, else here through `session.run`.
 * `others`: the further models the kernel drives (by key), which share the session's threads.
 */
export function runKernel<K extends KernelName>(
  session: ModelSession,
  name: K,
  samples: Pcm,
  plan: KernelPlans[K],
  o: KernelOptions = {},
  others: readonly ModelSession[] = [],
): Promise<KernelResult> {
  if (session.kernel) return session.kernel(name, samples, plan, o);
  const modelOf = (key: string) => {
    const s = [session, ...others].find((x) => x.key === key);
    if (!s) throw new Error(`kernel ${name} asked for model ${key}, which was not given`);
    return { run: (feeds: Record<string, ort.Tensor>) => s.run(feeds), Tensor: ort.Tensor };
  };
  return KERNELS[name](modelOf(session.key), samples, plan, modelOf);
}

/** The key a model is loaded under: one per id, version and weights. */
export const modelKey = (e: ModelEntry) => `${e.id}@${e.version}#${e.sha256}`;

export { ort };

export function cudaAvailable(): boolean {
  return ort.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled !== false);
}

/** Picks the provider: CUDA on T4 machines whose image installed it, otherwise CPU (said once). */
export function chooseProvider(choice: ExecutionProviderChoice, log?: Logger): 'cpu' | 'cuda' {
  if (choice === 'cpu') return 'cpu';
  if (cudaAvailable()) return 'cuda';
  if (choice === 'cuda') throw new Error('PODPREVIEW_EXECUTION_PROVIDER=cuda but the CUDA execution provider is not installed in this image');
  log?.info('CUDA execution provider not available; running models on CPU');
  return 'cpu';
}

export interface SessionOptions {
  manifestPath?: string;
  /**
   * Run the model on these threads (see ModelThreads) instead of the calling thread, where
   * calls run one at a time and block it. CUDA sessions stay on the calling thread: the GPU is
   * the parallelism there.
   */
  threads?: ModelThreads;
}

export async function createModelSession(entry: ModelEntry, provider: 'cpu' | 'cuda', o: SessionOptions = {}): Promise<ModelSession> {
  const started = performance.now();
  const weights = await loadVerifiedWeights(entry, o.manifestPath);
  const threads = o.threads;
  if (threads && provider === 'cpu') {
    const key = modelKey(entry);
    await threads.load(key, weights, ['cpu']);
    return {
      entry,
      key,
      provider,
      loadMs: performance.now() - started,
      lanes: threads.size,
      run: (feeds) => threads.run(key, feeds),
      kernel: (name, samples, plan, ko) => threads.kernel(key, name, samples, plan, ko),
      dispose: () => threads.unload(key),
    };
  }
  const session = await ort.InferenceSession.create(weights, {
    executionProviders: provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const loadMs = performance.now() - started;
  return {
    entry,
    key: modelKey(entry),
    provider,
    loadMs,
    lanes: 1,
    run: (feeds) => session.run(feeds) as Promise<Record<string, ort.Tensor>>,
    dispose: () => session.release(),
  };
}

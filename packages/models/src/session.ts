import * as ort from 'onnxruntime-node';
import type { Logger } from '@podpreview/shared';
import { loadVerifiedWeights, type ModelEntry } from './manifest.ts';

export type ExecutionProviderChoice = 'cpu' | 'cuda' | 'auto';

/** Our own session surface, so stage code never imports onnxruntime directly. */
export interface ModelSession {
  readonly entry: ModelEntry;
  readonly provider: 'cpu' | 'cuda';
  readonly loadMs: number;
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  dispose(): Promise<void>;
}

export { ort };

function cudaAvailable(): boolean {
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

export async function createModelSession(entry: ModelEntry, provider: 'cpu' | 'cuda'): Promise<ModelSession> {
  const started = performance.now();
  const weights = await loadVerifiedWeights(entry);
  const session = await ort.InferenceSession.create(weights, {
    executionProviders: provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const loadMs = performance.now() - started;
  return {
    entry,
    provider,
    loadMs,
    run: (feeds) => session.run(feeds) as Promise<Record<string, ort.Tensor>>,
    dispose: () => session.release(),
  };
}

/**
 * One session per model per process, created on first use and shared by every job: loading a
 * model per job would cost more than running it.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<ModelSession>>();
  constructor(private readonly provider: 'cpu' | 'cuda') {}

  get(entry: ModelEntry): Promise<ModelSession> {
    const key = `${entry.id}@${entry.version}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = createModelSession(entry, this.provider);
      // A failed load must not be cached forever: the next job tries again.
      s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  loadedModelIds(): string[] {
    return [...this.sessions.keys()];
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map(async (p) => (await p).dispose()));
  }
}

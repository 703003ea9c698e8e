import { chooseProvider, ModelRegistry, ModelThreads } from '@podpreview/models';
import type { BlobStore, Config, Logger, ResultsSink } from '@podpreview/shared';
import { createBlobStore, createResultsSink } from '@podpreview/storage';

/** What stage functions are built from: storage, the results table, model registries. */
export interface Services {
  config: Config;
  log: Logger;
  blobs: BlobStore;
  results: ResultsSink;
  /** A model stage's registry, opened (models loaded) on first use: only model stages pay for it. */
  models(stage: 'ensemble-a' | 'ensemble-b'): Promise<ModelRegistry>;
  loadedModelIds(): string[];
  close(): Promise<void>;
}

export function createServices(config: Config, log: Logger): Services {
  const blobs = createBlobStore(config);
  const results = createResultsSink(config);
  const registries = new Map<string, Promise<ModelRegistry>>();
  const opened: ModelRegistry[] = [];
  let provider: 'cpu' | 'cuda' | undefined;
  // One set of model threads for every model stage this process runs (both, in an all-in-one
  // process): the threads' runtimes and memory once, and the stages' calls share one queue.
  let threads: ModelThreads | undefined;
  return {
    config,
    log,
    blobs,
    results,
    models: (stage) => {
      let r = registries.get(stage);
      if (!r) {
        provider ??= chooseProvider(config.executionProvider, log);
        if (provider === 'cpu' && config.modelThreads > 0) threads ??= new ModelThreads(config.modelThreads);
        r = ModelRegistry.open({
          stage,
          provider,
          log,
          threads: threads ?? 0,
          skip: config.modelsSkip,
          ...(config.modelManifestPath ? { manifestPath: config.modelManifestPath } : {}),
        });
        r.then(
          (x) => opened.push(x),
          () => registries.delete(stage),
        );
        registries.set(stage, r);
      }
      return r;
    },
    loadedModelIds: () => opened.flatMap((r) => r.loadedModelIds()),
    close: async () => {
      await Promise.allSettled(opened.map((r) => r.dispose()));
      await threads?.close();
      await results.close();
    },
  };
}

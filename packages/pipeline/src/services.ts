import os from 'node:os';
import { modelsForStage, readManifest, chooseProvider, SessionCache, type ModelSession } from '@podpreview/models';
import type { BlobStore, Config, Logger, ResultsSink, StageName } from '@podpreview/shared';
import { createBlobStore, createResultsSink, fetchSource } from '@podpreview/storage';
import type { StageHandlers } from './runtime/outcome.ts';
import { createEnsembleAStage } from './stages/ensemble-a.stage.ts';
import { createEnsembleBStage } from './stages/ensemble-b.stage.ts';
import { createPreprocessStage } from './stages/preprocess.stage.ts';
import { createSelectionStage } from './stages/selection.stage.ts';
import { createSinkStage } from './stages/sink.stage.ts';

export interface Services {
  config: Config;
  log: Logger;
  blobs: BlobStore;
  results: ResultsSink;
  /** ONNX sessions, created only in processes that run a model stage. */
  sessions(): SessionCache;
  loadedModelIds(): string[];
  close(): Promise<void>;
}

export function createServices(config: Config, log: Logger): Services {
  const blobs = createBlobStore(config);
  const results = createResultsSink(config);
  let sessions: SessionCache | undefined;
  return {
    config,
    log,
    blobs,
    results,
    sessions: () => (sessions ??= new SessionCache(chooseProvider(config.executionProvider, log))),
    loadedModelIds: () => sessions?.loadedModelIds() ?? [],
    close: async () => {
      await sessions?.dispose();
      await results.close();
    },
  };
}

/**
 * Builds the stage functions this process runs, and only those: a worker for `ensemble-b`
 * never loads stage A's models. Stage A's models load here, before the first job arrives.
 */
export async function createHandlers(stages: StageName[], s: Services): Promise<Partial<StageHandlers>> {
  const gcs = s.config.storage.kind === 'gcs' ? { apiEndpoint: s.config.storage.apiEndpoint, projectId: s.config.storage.projectId } : undefined;
  const handlers: Partial<StageHandlers> = {};
  for (const stage of stages) {
    switch (stage) {
      case 'preprocess':
        handlers.preprocess = createPreprocessStage({
          blobs: s.blobs,
          results: s.results,
          fetchSource: (uri) => fetchSource(uri, { gcs, tmpDir: os.tmpdir() }),
        });
        break;
      case 'ensemble-a': {
        const [vadEntry] = modelsForStage(await readManifest(), 'ensemble-a');
        if (!vadEntry) throw new Error('model manifest lists no ensemble-a model');
        const vad = (): Promise<ModelSession> => s.sessions().get(vadEntry);
        await vad();
        handlers['ensemble-a'] = createEnsembleAStage({ blobs: s.blobs, vad });
        break;
      }
      case 'ensemble-b':
        handlers['ensemble-b'] = createEnsembleBStage({ blobs: s.blobs });
        break;
      case 'selection':
        handlers.selection = createSelectionStage({ blobs: s.blobs, previewSec: s.config.previewSec });
        break;
      case 'sink':
        handlers.sink = createSinkStage({ blobs: s.blobs });
        break;
      default: {
        const never: never = stage;
        throw new Error(`no handler for stage ${String(never)}`);
      }
    }
  }
  return handlers;
}

import { createPocketsphinx, type ModelEntry, type ModelRegistry, readManifest, type SpeechToText } from '@podpreview/models';
import { REUSES_RESULTS_OF, type StageName } from '@podpreview/shared';
import { fetchSource } from '@podpreview/storage';
import type { StageHandlers } from '../runtime/outcome.ts';
import { audioRunnable } from '../stages/audio-models.ts';
import { createEnsembleAStage } from '../stages/ensemble-a.stage.ts';
import { createEnsembleBStage } from '../stages/ensemble-b.stage.ts';
import { createPreprocessStage } from '../stages/preprocess.stage.ts';
import { createSelectionStage } from '../stages/selection.stage.ts';
import { createSinkStage } from '../stages/sink.stage.ts';
import type { EarlyStageA } from '../stages/stage-a.early.ts';
import { TEXT_RUNNERS } from '../stages/text-models.ts';
import type { Services } from './services.ts';

/**
 * Builds the stage functions this process runs, and only those: a worker for `ensemble-b`
 * never loads stage A's models. A model stage's models load here, before the first job.
 * `early`: stage A begun while preprocess decodes, shared by the two where this process runs both.
 */
export async function createHandlers(stages: StageName[], s: Services, o: { early?: EarlyStageA } = {}): Promise<Partial<StageHandlers>> {
  const gcs = s.config.storage.kind === 'gcs' ? { apiEndpoint: s.config.storage.apiEndpoint, projectId: s.config.storage.projectId } : undefined;
  const handlers: Partial<StageHandlers> = {};
  for (const stage of stages) {
    switch (stage) {
      case 'preprocess':
        handlers.preprocess = createPreprocessStage({
          blobs: s.blobs,
          results: s.results,
          fetchSource: (uri, o) => fetchSource(uri, { policy: s.config.inputs, gcs, tmpDir: s.config.tempDir, ...o }),
          maxDurationSec: s.config.inputs.maxDurationSec,
          fetchAttempts: s.config.inputs.fetchAttempts,
          maxTranscriptBytes: s.config.inputs.maxTranscriptBytes,
          maxTranscriptCues: s.config.inputs.maxTranscriptCues,
          dedupVariants: REUSES_RESULTS_OF[s.config.variant],
          tempDir: s.config.tempDir,
          ...(o.early ? { early: o.early } : {}),
        });
        break;
      case 'ensemble-a': {
        const registry = await s.models('ensemble-a');
        requireRunners(registry, audioRunnable, 'ensemble-a');
        // Every later stage needs the voice-activity track (EnsembleBInput): a variant may skip any model but that.
        if (!registry.loadedEntries().some((e) => e.kind === 'vad')) throw new Error('ensemble-a loads no vad model (PODPREVIEW_MODELS_SKIP may not skip it)');
        handlers['ensemble-a'] = createEnsembleAStage({ blobs: s.blobs, models: () => registry.lease(), ...(o.early ? { early: o.early } : {}) });
        break;
      }
      case 'ensemble-b': {
        const registry = await s.models('ensemble-b');
        requireRunners(registry, (e) => TEXT_RUNNERS[e.kind] !== undefined, 'ensemble-b');
        handlers['ensemble-b'] = createEnsembleBStage({
          blobs: s.blobs,
          models: () => registry.lease(),
          // Off still serves runs that ask for it (`transcribe`): a worker must not drop a request.
          asr: speechToText(s),
          asrForEveryRun: s.config.asr.mode === 'inline',
        });
        break;
      }
      case 'selection':
        handlers.selection = createSelectionStage({
          blobs: s.blobs,
          previewSec: s.config.previewSec,
          weights: s.config.weights,
          minSpeechFraction: s.config.minSpeechFraction,
        });
        break;
      case 'sink':
        handlers.sink = createSinkStage({ blobs: s.blobs, tempDir: s.config.tempDir, clip: s.config.clip });
        break;
      default: {
        const never: never = stage;
        throw new Error(`no handler for stage ${String(never)}`);
      }
    }
  }
  return handlers;
}

/**
 * The manifest's speech-to-text model, checked and made once, on the first episode that needs
 * it (a worker whose episodes all have transcripts never reads its 36 MB).
 */
function speechToText(s: Services): () => Promise<SpeechToText> {
  let made: Promise<SpeechToText> | undefined;
  return () => {
    made ??= readManifest(s.config.modelManifestPath).then((models) => {
      const entry = models.find((m) => m.kind === 'speech-to-text');
      if (!entry) throw new Error('PODPREVIEW_ASR is on but the model manifest has no speech-to-text model');
      return createPocketsphinx(entry, {
        lanes: s.config.asr.lanes,
        tempDir: s.config.tempDir,
        ...(s.config.modelManifestPath ? { manifestPath: s.config.modelManifestPath } : {}),
      });
    });
    made.catch(() => {
      made = undefined; // a missing package fixed by an operator is picked up by the next job
    });
    return made;
  };
}

/** A manifest model this stage cannot drive stops the worker at start, not at the first job. */
function requireRunners(registry: ModelRegistry, runnable: (e: ModelEntry) => boolean, stage: StageName): void {
  const missing = registry.loadedEntries().filter((e) => !runnable(e));
  if (missing.length > 0) throw new Error(`${stage} has no runner for model kind(s) ${missing.map((e) => `${e.kind} (${e.id})`).join(', ')}`);
}

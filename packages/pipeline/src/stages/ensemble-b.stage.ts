import { SENTENCE_MODEL, splitSentences } from '@podpreview/audio';
import { type ModelLease, sentenceCentrality, UsageMeter } from '@podpreview/models';
import {
  type BlobStore,
  type EnsembleBInput,
  getJsonBlob,
  putJsonBlob,
  round3,
  runBlobKeys,
  type ScoredSentence,
  type SentencesBlob,
  TranscriptBlob,
} from '@podpreview/shared';
import type { StageOutcome } from '../runtime/outcome.ts';
import { TEXT_RUNNERS } from './text-models.ts';

export interface EnsembleBDeps {
  blobs: BlobStore;
  models: () => Promise<ModelLease>;
}

/**
 * Text models over the transcript: sentence boundaries with times, then every stage-B
 * classifier (ads, intros/outros) and topical centrality per sentence. Text work only: where a
 * preview may start is selection's business. Without a transcript there is nothing to read,
 * and the episode passes straight on.
 */
export function createEnsembleBStage(deps: EnsembleBDeps) {
  return async (input: EnsembleBInput): Promise<StageOutcome<'ensemble-b'>> => {
    if (!input.transcriptKey) return { kind: 'next', payload: input };
    const keys = runBlobKeys(input.episodeId, input.runId);
    const { cues } = await getJsonBlob(deps.blobs, input.transcriptKey, TranscriptBlob);
    const sentences = splitSentences(cues);
    const texts = sentences.map((s) => s.text);
    const scored: ScoredSentence[] = sentences.map((s) => ({ ...s, scores: {} }));
    const lease = await deps.models();
    const meter = new UsageMeter();
    try {
      for (const entry of lease.entries) {
        const runner = TEXT_RUNNERS[entry.kind];
        if (!runner) throw new Error(`no stage-B runner for model kind ${entry.kind} (${entry.id})`);
        const scores = await runner(meter.wrap(lease.get(entry.id)), entry, texts);
        for (const [i, s] of scored.entries()) {
          for (const [label, values] of Object.entries(scores)) s.scores[label] = round3(values[i]!);
        }
      }
      // Topical centrality is arithmetic on the text (TF-IDF), not a learned model.
      const central = sentenceCentrality(texts);
      for (const [i, s] of scored.entries()) s.scores.centrality = round3(central[i]!);
      const blob: SentencesBlob = { version: 1, sentences: scored };
      await putJsonBlob(deps.blobs, keys.sentences, blob);
      return {
        kind: 'next',
        payload: {
          ...input,
          models: [...input.models, ...lease.refs(), { ...SENTENCE_MODEL }],
          modelStats: { ...input.modelStats, ...meter.snapshot() },
          sentencesKey: keys.sentences,
        },
      };
    } finally {
      lease.release();
    }
  };
}

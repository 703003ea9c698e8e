import { SENTENCE_MODEL, splitSentences } from '@podpreview/audio';
import { type ModelLease, type SpeechToText, sentenceCentrality, UsageMeter, wordsToSentences } from '@podpreview/models';
import {
  type BlobStore,
  bytesToInt16,
  type EnsembleBInput,
  getJsonBlob,
  putJsonBlob,
  round3,
  runBlobKeys,
  type ScoredSentence,
  type SentencesBlob,
  TranscriptBlob,
} from '@podpreview/shared';
import type { StageContext, StageOutcome } from '../runtime/outcome.ts';
import { runOrder, TEXT_RUNNERS } from './text-models.ts';

export interface EnsembleBDeps {
  blobs: BlobStore;
  models: () => Promise<ModelLease>;
  /** Speech-to-text for episodes without a transcript; absent: they pass on audio-only. */
  asr?: () => Promise<SpeechToText>;
  /** Transcribe every episode without a transcript (PODPREVIEW_ASR=inline), or only runs that ask (`transcribe`). */
  asrForEveryRun?: boolean;
}

/**
 * Text models over the transcript: sentence boundaries with times, then every stage-B
 * classifier (ads, intros/outros) and topical centrality per sentence. Text work only: where a
 * preview may start is selection's business. Without a transcript, speech-to-text supplies the
 * words when it is on (pieces cut at pauses); otherwise the episode passes straight on.
 */
export function createEnsembleBStage(deps: EnsembleBDeps) {
  return async (input: EnsembleBInput, ctx?: StageContext): Promise<StageOutcome<'ensemble-b'>> => {
    const transcribe = !input.transcriptKey && deps.asr !== undefined && (deps.asrForEveryRun === true || input.transcribe === true);
    if (!input.transcriptKey && !transcribe) return { kind: 'next', payload: input };
    const keys = runBlobKeys(input.episodeId, input.runId);
    let sentences: { startSec: number; endSec: number; text: string }[];
    const extraModels: { id: string; version: string }[] = [];
    const extraStats: Record<string, { calls: number; items: number; inferenceMs: number }> = {};
    if (input.transcriptKey) {
      const { cues } = await getJsonBlob(deps.blobs, input.transcriptKey, TranscriptBlob);
      sentences = splitSentences(cues);
      extraModels.push({ ...SENTENCE_MODEL });
    } else {
      const asr = await deps.asr!();
      const pcm = bytesToInt16(await deps.blobs.get(input.pcmKey));
      const heard = await asr.transcribe(pcm, ctx?.signal ? { signal: ctx.signal } : {});
      sentences = wordsToSentences(heard.words);
      const [id, version] = asr.id.split('@') as [string, string];
      extraModels.push({ id, version });
      extraStats[id] = { calls: 1, items: heard.words.length, inferenceMs: Math.round(heard.engineMs) };
      // Nothing recognised (music, another language): the episode goes on audio-only.
      if (sentences.length === 0)
        return { kind: 'next', payload: { ...input, models: [...input.models, ...extraModels], modelStats: { ...input.modelStats, ...extraStats } } };
    }
    const texts = sentences.map((s) => s.text);
    const scored: ScoredSentence[] = sentences.map((s) => ({ ...s, scores: {} }));
    const lease = await deps.models();
    const meter = new UsageMeter();
    try {
      const byLabel: Record<string, Float32Array> = {};
      for (const entry of [...lease.entries].sort((a, b) => runOrder(a) - runOrder(b))) {
        const runner = TEXT_RUNNERS[entry.kind];
        if (!runner) throw new Error(`no stage-B runner for model kind ${entry.kind} (${entry.id})`);
        const scores = await runner(meter.wrap(lease.get(entry.id)), entry, { sentences, durationSec: input.durationSec, scores: byLabel });
        Object.assign(byLabel, scores);
        for (const [i, s] of scored.entries()) {
          for (const [label, values] of Object.entries(scores)) s.scores[label] = round3(values[i]!);
        }
      }
      // Topical centrality is arithmetic on the text (TF-IDF), not a learned model.
      const central = sentenceCentrality(texts);
      for (const [i, s] of scored.entries()) s.scores.centrality = round3(central[i]!);
      const blob: SentencesBlob = { version: 1, ...(input.transcriptKey ? {} : { source: 'asr' as const }), sentences: scored };
      await putJsonBlob(deps.blobs, keys.sentences, blob);
      return {
        kind: 'next',
        payload: {
          ...input,
          models: [...input.models, ...lease.refs(), ...extraModels],
          modelStats: { ...input.modelStats, ...meter.snapshot(), ...extraStats },
          sentencesKey: keys.sentences,
        },
      };
    } finally {
      lease.release();
    }
  };
}

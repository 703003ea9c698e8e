import { splitSentences, SENTENCE_MODEL, type Cue } from '@podpreview/audio';
import { sentenceCentrality, UsageMeter, type ModelLease } from '@podpreview/models';
import type { BlobStore, EnsembleBInput, ModelRef, ModelStats, SelectionInput } from '@podpreview/shared';
import { fromJsonBytes, runKeys, toJsonBytes } from '../keys.ts';
import type { StageOutcome } from '../runtime/outcome.ts';
import { snapToOnsets, speechOnsets } from '../selection/onsets.ts';
import { TEXT_RUNNERS } from './text-models.ts';
import { channel, getTrack } from '../tracks.ts';

export interface ScoredSentence {
  startSec: number;
  endSec: number;
  text: string;
  /** Per-label scores from the text models (`ad`, `intro`, `outro`, `centrality`…). */
  scores: Record<string, number>;
}

export interface Candidates {
  path: 'transcript' | 'audio-only';
  /** Times a preview may start at: sentence starts, or speech onsets without a transcript. */
  startsSec: number[];
  sentences: ScoredSentence[];
}

export interface EnsembleBDeps {
  blobs: BlobStore;
  models: () => Promise<ModelLease>;
}

/**
 * Text models over the transcript's sentences: sentence boundaries with times, then every
 * stage-B classifier (ads, intros/outros) and topical centrality per sentence. Without a
 * transcript, speech onsets from the VAD track are the candidate starts (audio-only path).
 */
export function createEnsembleBStage(deps: EnsembleBDeps) {
  return async (input: EnsembleBInput): Promise<StageOutcome> => {
    const keys = runKeys(input.episodeId, input.runId);
    if (!input.transcriptKey) {
      const vad = await getTrack(deps.blobs, input.tracks.vad!);
      const candidates: Candidates = { path: 'audio-only', startsSec: speechOnsets(channel(vad, 'speech'), vad.frameSec), sentences: [] };
      await deps.blobs.put(keys.candidates, toJsonBytes(candidates));
      const payload: SelectionInput = { ...input, candidatesKey: keys.candidates, path: 'audio-only' };
      return { kind: 'next', payload };
    }
    const cues = fromJsonBytes<Cue[]>(await deps.blobs.get(input.transcriptKey));
    const vad = await getTrack(deps.blobs, input.tracks.vad!);
    // Pauses between sentences are short: look for onsets after 0.1 s of quiet, not 0.3 s.
    const onsets = speechOnsets(channel(vad, 'speech'), vad.frameSec, 0.1);
    const sentences = splitSentences(cues);
    const starts = snapToOnsets(
      sentences.map((s) => s.startSec),
      onsets,
    );
    for (const [i, s] of sentences.entries()) s.startSec = Math.min(starts[i]!, s.endSec);
    const texts = sentences.map((s) => s.text);
    const scored: ScoredSentence[] = sentences.map((s) => ({ ...s, scores: {} }));
    const lease = await deps.models();
    const meter = new UsageMeter();
    let stats: ModelStats;
    let models: ModelRef[];
    try {
      for (const entry of lease.entries) {
        const runner = TEXT_RUNNERS[entry.kind];
        if (!runner) throw new Error(`no stage-B runner for model kind ${entry.kind} (${entry.id})`);
        const scores = await runner(meter.wrap(lease.get(entry.id)), entry, texts);
        for (const [i, s] of scored.entries()) {
          for (const [label, values] of Object.entries(scores)) s.scores[label] = round3(values[i]!);
        }
      }
      stats = { ...input.modelStats, ...meter.snapshot() };
      models = [...input.models, ...lease.refs(), { ...SENTENCE_MODEL }];
    } finally {
      lease.release();
    }
    // Topical centrality is arithmetic on the text (TF-IDF), not a learned model.
    const central = sentenceCentrality(texts);
    for (const [i, s] of scored.entries()) s.scores.centrality = round3(central[i]!);
    const candidates: Candidates = { path: 'transcript', startsSec: sentences.map((s) => s.startSec), sentences: scored };
    await deps.blobs.put(keys.candidates, toJsonBytes(candidates));
    const payload: SelectionInput = { ...input, models, modelStats: stats, candidatesKey: keys.candidates, path: 'transcript' };
    return { kind: 'next', payload };
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

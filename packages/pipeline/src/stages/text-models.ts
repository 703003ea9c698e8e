import { type ModelEntry, type ModelSession, scoreContext, scoreTexts, textClassifierParams } from '@podpreview/models';

export interface TextInputs {
  sentences: readonly { startSec: number; endSec: number; text: string }[];
  durationSec: number;
  /** What the models run before this one gave, by label, one value per sentence. */
  scores: Readonly<Record<string, Float32Array>>;
}

/** Scores per label (`ad`, `intro`…), one value per sentence. */
export type TextRunner = (session: ModelSession, entry: ModelEntry, input: TextInputs) => Promise<Record<string, Float32Array>>;

/**
 * Stage B's runners, by model kind (the counterpart of audio-models.ts): the manifest says which
 * models the stage has, this table how to drive each kind.
 */
export const TEXT_RUNNERS: Partial<Record<ModelEntry['kind'], TextRunner>> = {
  'text-classifier': async (session, entry, { sentences }) => {
    const { labels } = textClassifierParams(entry);
    const probs = await scoreTexts(
      session,
      entry,
      sentences.map((s) => s.text),
      { maxBatch: entry.batching.maxBatch },
    );
    return Object.fromEntries(labels.map((label, k) => [label, Float32Array.from(sentences, (_, i) => probs[i * labels.length + k]!)]));
  },
  // Reads the classifiers' `ad`, `intro`, `outro` and answers `adContext`, `introContext`,
  // `outroContext`: selection prefers these, and the sentence-level scores stay for explanation.
  'sentence-context': async (session, entry, { sentences, durationSec, scores }) => {
    const missing = ['ad', 'intro', 'outro'].filter((label) => !scores[label]);
    if (missing.length > 0) throw new Error(`model ${entry.id}@${entry.version} needs the sentence classifiers' ${missing.join(', ')} scores first`);
    const rows = sentences.map((s, i) => ({ ...s, probs: [scores.ad![i]!, scores.intro![i]!, scores.outro![i]!] as const }));
    const probs = await scoreContext(session, entry, rows, durationSec);
    return Object.fromEntries(['ad', 'intro', 'outro'].map((label, k) => [`${label}Context`, Float32Array.from(sentences, (_, i) => probs[i * 3 + k]!)]));
  },
};

/** Sequence models read the per-sentence models' outputs, so they run after them. */
export const runOrder = (entry: ModelEntry): number => (entry.kind === 'sentence-context' ? 1 : 0);

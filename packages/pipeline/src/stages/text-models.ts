import { scoreTexts, textClassifierParams, type ModelEntry, type ModelSession } from '@podpreview/models';

/** Scores per label (`ad`, `intro`…), one value per sentence. */
export type TextRunner = (session: ModelSession, entry: ModelEntry, sentences: string[]) => Promise<Record<string, Float32Array>>;

/**
 * Stage B's runners, by model kind (the counterpart of audio-models.ts): the manifest says which
 * models the stage has, this table how to drive each kind.
 */
export const TEXT_RUNNERS: Partial<Record<ModelEntry['kind'], TextRunner>> = {
  'text-classifier': async (session, entry, sentences) => {
    const { labels } = textClassifierParams(entry);
    const probs = await scoreTexts(session, entry, sentences, { maxBatch: entry.batching.maxBatch });
    return Object.fromEntries(labels.map((label, k) => [label, Float32Array.from(sentences, (_, i) => probs[i * labels.length + k]!)]));
  },
};

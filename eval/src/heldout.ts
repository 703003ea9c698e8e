import {
  createModelSession,
  independentEpisodeF1,
  type EpisodeF1,
  independentTextF1,
  loadRealClips,
  measureRealRecordings,
  modelsForStage,
  readIndependentText,
  readManifest,
  REAL_AUDIO_ROOT,
  realRecordingsAvailable,
} from '@podpreview/models';

export interface HeldOutFigures {
  /** F1 at p ≥ 0.5 on the hand-written independent source, per label. */
  independentText: { sentences: number; f1: Record<string, number> };
  /** The same sentences as five episodes: sentence scores, their median, and the context model. */
  independentEpisodes: EpisodeF1;
  /** Per-class accuracy on recordings from Debian packages; null when they are not unpacked. */
  realRecordings: { counts: Record<string, number>; figures: Record<string, number> } | { skipped: string };
}

/**
 * The checks beside the synthetic set that the models were not tuned on: the text models on
 * the independent hand-written sentences (alone and as episodes, for the context model), and VAD and sed-mini on real recordings.
 */
export async function heldOutFigures(): Promise<HeldOutFigures> {
  const manifest = await readManifest();
  const open = async (stage: 'ensemble-a' | 'ensemble-b', id: string) => {
    const entry = modelsForStage(manifest, stage).find((m) => m.id === id)!;
    return { entry, session: await createModelSession(entry, 'cpu') };
  };
  const [ad, io, context] = await Promise.all([open('ensemble-b', 'ad-detector'), open('ensemble-b', 'intro-outro'), open('ensemble-b', 'sentence-context')]);
  const rows = readIndependentText();
  const f1 = await independentTextF1(ad, io, rows);
  const independentEpisodes = await independentEpisodeF1(ad, io, context, rows);
  await Promise.all([ad.session.dispose(), io.session.dispose(), context.session.dispose()]);
  let realRecordings: HeldOutFigures['realRecordings'] = { skipped: `${REAL_AUDIO_ROOT} is missing (bash scripts/real-audio.sh)` };
  if (realRecordingsAvailable()) {
    const [vad, sed, front] = await Promise.all([open('ensemble-a', 'silero-vad'), open('ensemble-a', 'sed-mini'), open('ensemble-a', 'audio-spectra')]);
    const r = await measureRealRecordings(vad, { ...sed, front: front.session }, loadRealClips());
    await Promise.all([vad.session.dispose(), sed.session.dispose(), front.session.dispose()]);
    realRecordings = { counts: r.counts, figures: r.figures };
  }
  return { independentText: { sentences: rows.length, f1 }, independentEpisodes, realRecordings };
}

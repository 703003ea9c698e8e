import { bootstrapMean, wilson, type Estimate } from './intervals.ts';
import type { Interval } from './labels.ts';
import type { PreviewScore } from './score.ts';

/**
 * One episode's result in the external scorer's terms, so our own draws and the external set
 * are reported with the same columns: good (inside an ideal zone, on a sentence start, the
 * right length), hit, sentence, bad overlap, ends cleanly.
 */
export interface EpisodeOutcome {
  hasTranscript: boolean;
  /** False where the run gave no preview: it counts as a miss with a whole window of bad seconds. */
  previewed: boolean;
  good: boolean;
  hit: boolean;
  sentence: boolean;
  badSec: number;
  endsCleanly: boolean;
}

/** A preview is 60 ± 1 s long, or the whole episode when that is shorter (the external scorer's rule). */
export const LENGTH_TOLERANCE_SEC = 1;

export function lengthOk(window: Interval, durationSec: number, previewSec: number): boolean {
  const want = durationSec >= previewSec + LENGTH_TOLERANCE_SEC ? previewSec : durationSec;
  return Math.abs(window.endSec - window.startSec - want) <= LENGTH_TOLERANCE_SEC;
}

/** Our scorer's verdict on one episode as an outcome; no window is a miss. */
export function outcomeOf(
  hasTranscript: boolean,
  durationSec: number,
  previewSec: number,
  window: Interval | null,
  score: PreviewScore | null,
): EpisodeOutcome {
  if (!window || !score) return { hasTranscript, previewed: false, good: false, hit: false, sentence: false, badSec: previewSec, endsCleanly: false };
  const hit = score.insideIdealZone;
  const sentence = score.startsOnSentence;
  return {
    hasTranscript,
    previewed: true,
    good: hit && sentence && lengthOk(window, durationSec, previewSec),
    hit,
    sentence,
    badSec: score.badOverlapSec,
    endsCleanly: score.endsCleanly,
  };
}

export interface OutcomeSummary {
  n: number;
  /** Episodes without a preview (counted as misses in every figure). */
  missing: number;
  good: Estimate;
  hit: Estimate;
  sentence: Estimate;
  /** Mean seconds of the window on bad material, with a bootstrap interval. */
  badSec: Estimate;
  endsCleanly: Estimate;
}

const share = (outcomes: readonly EpisodeOutcome[], f: (o: EpisodeOutcome) => boolean): Estimate => wilson(outcomes.filter(f).length, outcomes.length);

/** Every figure with its 95 % interval: Wilson for shares, bootstrap (seeded) for the mean bad overlap. */
export function summarize(outcomes: readonly EpisodeOutcome[], seed = 0x5eed): OutcomeSummary {
  return {
    n: outcomes.length,
    missing: outcomes.filter((o) => !o.previewed).length,
    good: share(outcomes, (o) => o.good),
    hit: share(outcomes, (o) => o.hit),
    sentence: share(outcomes, (o) => o.sentence),
    badSec: bootstrapMean(
      outcomes.map((o) => o.badSec),
      { seed },
    ),
    endsCleanly: share(outcomes, (o) => o.endsCleanly),
  };
}

export interface SummaryGroup {
  name: string;
  summary: OutcomeSummary;
}

/** All episodes, then those with a transcript and those without (the two selection paths). */
export function byPath(outcomes: readonly EpisodeOutcome[], seed?: number): SummaryGroup[] {
  return [
    { name: 'all', summary: summarize(outcomes, seed) },
    {
      name: 'with transcript',
      summary: summarize(
        outcomes.filter((o) => o.hasTranscript),
        seed,
      ),
    },
    {
      name: 'audio only',
      summary: summarize(
        outcomes.filter((o) => !o.hasTranscript),
        seed,
      ),
    },
  ];
}

/**
 * One row per path for each group of episodes, in the order the groups are first met: the
 * leave-one-family-out report (a group per held-out family).
 */
export function byGroup(items: readonly { group: string; outcome: EpisodeOutcome }[], seed?: number): SummaryGroup[] {
  const groups = [...new Set(items.map((i) => i.group))];
  return groups.flatMap((g) => {
    const outcomes = items.filter((i) => i.group === g).map((i) => i.outcome);
    return byPath(outcomes, seed).map((row) => ({ name: `${g} (${row.name})`, summary: row.summary }));
  });
}

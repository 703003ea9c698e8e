import type { Families } from './families.ts';

/**
 * Ground truth for one generated episode. Times are seconds on the encoded file's own
 * timeline, computed from sample counts (exact to the millisecond).
 */
export const SEGMENT_KINDS = ['music', 'silence', 'intro', 'ad', 'content', 'outro'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];
/** What a spoken sentence belongs to. */
export type SpeechKind = Exclude<SegmentKind, 'music' | 'silence'>;
export type Speaker = 'host' | 'guest' | 'announcer';

export interface Interval {
  startSec: number;
  endSec: number;
}

/**
 * Non-overlapping and in time order. A speech segment runs from its first sentence's start to
 * its last sentence's end; the short pauses between blocks (under 1.5 s) are not labelled, and
 * a `silence` segment is a gap of dead air of 2 s or more.
 */
export interface Segment extends Interval {
  kind: SegmentKind;
}

export interface SentenceLabel extends Interval {
  kind: SpeechKind;
  speaker: Speaker;
  text: string;
}

/** Music mixed under speech at `gain` (the segment kind stays what is said over it). */
export interface Bed extends Interval {
  under: SpeechKind;
  gain: number;
}

export interface EpisodeLabels {
  id: string;
  /** Audio file name inside the set's directory. */
  file: string;
  /** Transcript file name (WebVTT or SRT, exact cue times), or null. */
  transcript: string | null;
  hasTranscript: boolean;
  /** Sentences per transcript cue (1 or 2); null without a transcript. */
  sentencesPerCue: 1 | 2 | null;
  container: 'mp3' | 'm4a' | 'ogg';
  durationSec: number;
  /** One line per part, in order, for reading failures ("music 14.0 s", "ad pre-roll over bed", …). */
  structure: string[];
  voices: Record<Speaker, string>;
  /** What the episode is made of (absent in sets made before families were tagged). */
  families?: Families;
  segments: Segment[];
  sentences: SentenceLabel[];
  beds: Bed[];
}

export interface EvalSet {
  /** Changes whenever the generator's sources change; a cached set with another value is rebuilt. */
  generator: string;
  episodes: EpisodeLabels[];
  /** Planned episodes left out because their labels failed a check (rendering or labelProblems), with why. */
  excluded?: { id: string; reasons: string[] }[];
}

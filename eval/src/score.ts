import type { EpisodeLabels, Interval, SegmentKind } from './labels.ts';

/**
 * Scoring of one preview window against an episode's labels, and aggregation over a set.
 * Pure functions over the labels, so every rule is unit-tested without audio.
 */

/** A preview "starts on a sentence" when its start is this close to a labelled sentence start. */
export const SENTENCE_START_TOLERANCE_SEC = 0.5;
/** Pauses up to this long are part of speech; longer gaps count as dead air. */
export const MAX_PAUSE_SEC = 1.5;
/**
 * How far a window may reach past an ideal zone's first sentence start or last sentence end and
 * still count as inside: the same half second a start may miss a sentence by.
 */
export const ZONE_EDGE_TOLERANCE_SEC = SENTENCE_START_TOLERANCE_SEC;
/** Segment kinds a preview should not contain. */
export const BAD_KINDS: readonly SegmentKind[] = ['music', 'ad', 'intro', 'outro', 'silence'];
/** A preview "ends cleanly" unless its end falls more than this far inside a labelled sentence. */
export const SENTENCE_END_TOLERANCE_SEC = 0.25;

export interface BadInterval extends Interval {
  /** `gap` is unlabelled dead air longer than MAX_PAUSE_SEC (between any two sounds). */
  kind: SegmentKind | 'gap';
}

export interface PreviewScore {
  startsOnSentence: boolean;
  /** Distance from the window start to the nearest sentence start. */
  startOffsetSec: number;
  speechFraction: number;
  badOverlapSec: number;
  /** Bad seconds per kind, for the failure report. */
  badByKind: Partial<Record<BadInterval['kind'], number>>;
  insideIdealZone: boolean;
  /** The window stops between sentences (at a sentence end or in a pause), or at the episode's end. */
  endsCleanly: boolean;
}

const overlap = (a: Interval, b: Interval): number => Math.max(0, Math.min(a.endSec, b.endSec) - Math.max(a.startSec, b.startSec));

/** Sorted, non-overlapping union. */
export function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.endSec > i.startSec).sort((a, b) => a.startSec - b.startSec);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.startSec <= last.endSec) last.endSec = Math.max(last.endSec, i.endSec);
    else out.push({ startSec: i.startSec, endSec: i.endSec });
  }
  return out;
}

/** Seconds of `window` covered by the union of `intervals`. */
export function coveredSec(window: Interval, intervals: readonly Interval[]): number {
  return union(intervals).reduce((s, i) => s + overlap(window, i), 0);
}

export function nearestSentenceStartOffset(labels: EpisodeLabels, startSec: number): number {
  return Math.min(Infinity, ...labels.sentences.map((s) => Math.abs(s.startSec - startSec)));
}

export function startsOnSentence(labels: EpisodeLabels, startSec: number): boolean {
  return nearestSentenceStartOffset(labels, startSec) <= SENTENCE_START_TOLERANCE_SEC + 1e-9;
}

/** Share of the window covered by labelled sentences of any kind. */
export function speechFraction(labels: EpisodeLabels, window: Interval): number {
  const len = window.endSec - window.startSec;
  return len > 0 ? coveredSec(window, labels.sentences) / len : 0;
}

/** Everything audible: sentences, music segments and beds. */
function soundIntervals(labels: EpisodeLabels): Interval[] {
  return union([...labels.sentences, ...labels.segments.filter((s) => s.kind === 'music'), ...labels.beds]);
}

/** Stretches of the episode longer than MAX_PAUSE_SEC with nothing audible in them. */
export function deadAir(labels: EpisodeLabels): Interval[] {
  const gaps: Interval[] = [];
  let cursor = 0;
  for (const s of [...soundIntervals(labels), { startSec: labels.durationSec, endSec: labels.durationSec }]) {
    if (s.startSec - cursor > MAX_PAUSE_SEC) gaps.push({ startSec: cursor, endSec: s.startSec });
    cursor = Math.max(cursor, s.endSec);
  }
  return gaps;
}

/** Bad material: music, ad, intro, outro and silence segments, plus dead air found in the labels. */
export function badIntervals(labels: EpisodeLabels): BadInterval[] {
  return [
    ...labels.segments.filter((s) => BAD_KINDS.includes(s.kind)).map((s) => ({ kind: s.kind, startSec: s.startSec, endSec: s.endSec })),
    ...deadAir(labels).map((g) => ({ kind: 'gap' as const, ...g })),
  ];
}

/** Seconds of the window on bad material (each second counted once, even where kinds overlap). */
export function badOverlapSec(labels: EpisodeLabels, window: Interval): number {
  return coveredSec(window, badIntervals(labels));
}

/**
 * Ideal content zones: content segments, joined when only a pause of at most MAX_PAUSE_SEC
 * (and nothing bad) separates them. Content under a music bed is still content.
 */
export function idealZones(labels: EpisodeLabels): Interval[] {
  const bad = badIntervals(labels);
  const content = labels.segments.filter((s) => s.kind === 'content').sort((a, b) => a.startSec - b.startSec);
  const zones: Interval[] = [];
  for (const c of content) {
    const last = zones.at(-1);
    const between = last && { startSec: last.endSec, endSec: c.startSec };
    if (last && between && c.startSec - last.endSec <= MAX_PAUSE_SEC && coveredSec(between, bad) === 0) last.endSec = c.endSec;
    else zones.push({ startSec: c.startSec, endSec: c.endSec });
  }
  return zones;
}

export function endsCleanly(labels: EpisodeLabels, window: Interval): boolean {
  const t = window.endSec;
  if (t >= labels.durationSec - SENTENCE_END_TOLERANCE_SEC) return true;
  return !labels.sentences.some((s) => t > s.startSec + SENTENCE_END_TOLERANCE_SEC && t < s.endSec - SENTENCE_END_TOLERANCE_SEC);
}

export function insideIdealZone(labels: EpisodeLabels, window: Interval): boolean {
  const tol = ZONE_EDGE_TOLERANCE_SEC + 1e-9;
  return idealZones(labels).some((z) => window.startSec >= z.startSec - tol && window.endSec <= z.endSec + tol);
}

export function scorePreview(labels: EpisodeLabels, window: Interval): PreviewScore {
  const badByKind: PreviewScore['badByKind'] = {};
  for (const b of badIntervals(labels)) {
    const sec = overlap(window, b);
    if (sec > 0) badByKind[b.kind] = (badByKind[b.kind] ?? 0) + sec;
  }
  const startOffsetSec = nearestSentenceStartOffset(labels, window.startSec);
  return {
    startsOnSentence: startOffsetSec <= SENTENCE_START_TOLERANCE_SEC + 1e-9,
    startOffsetSec,
    speechFraction: speechFraction(labels, window),
    badOverlapSec: badOverlapSec(labels, window),
    badByKind,
    insideIdealZone: insideIdealZone(labels, window),
    endsCleanly: endsCleanly(labels, window),
  };
}

export type Baseline = 'start-at-0' | 'start-at-30%';

/** Naive previews: from the start, or from 30 % of the duration; 60 s (or the whole episode if shorter). */
export function baselineWindow(labels: EpisodeLabels, baseline: Baseline, previewSec: number): Interval {
  const len = Math.min(previewSec, labels.durationSec);
  const start = baseline === 'start-at-0' ? 0 : Math.min(0.3 * labels.durationSec, labels.durationSec - len);
  return { startSec: start, endSec: start + len };
}

export interface Summary {
  n: number;
  sentenceStartShare: number;
  meanSpeechFraction: number;
  meanBadOverlapSec: number;
  idealZoneShare: number;
  endsCleanlyShare: number;
}

export function aggregate(scores: readonly PreviewScore[]): Summary {
  const n = scores.length;
  const mean = (f: (s: PreviewScore) => number): number => (n === 0 ? NaN : scores.reduce((a, s) => a + f(s), 0) / n);
  return {
    n,
    sentenceStartShare: mean((s) => (s.startsOnSentence ? 1 : 0)),
    meanSpeechFraction: mean((s) => s.speechFraction),
    meanBadOverlapSec: mean((s) => s.badOverlapSec),
    idealZoneShare: mean((s) => (s.insideIdealZone ? 1 : 0)),
    endsCleanlyShare: mean((s) => (s.endsCleanly ? 1 : 0)),
  };
}

/** The targets, per set and (for the failure list) per episode. */
export const TARGETS = { sentenceStartShare: 0.95, idealZoneShare: 0.9, meanBadOverlapSec: 2, endsCleanlyShare: 0.9 } as const;

import Table from 'cli-table3';
import type { SelectionPath } from '@podpreview/shared';
import type { EpisodeLabels, Interval } from './labels.ts';
import {
  aggregate,
  baselineWindow,
  idealZones,
  scorePreview,
  SENTENCE_START_TOLERANCE_SEC,
  TARGETS,
  type Baseline,
  type PreviewScore,
  type Summary,
} from './score.ts';

export interface SummaryRow {
  name: string;
  summary: Summary;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '-');
const sec = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)} s` : '-');
const span = (i: Interval): string => `${i.startSec.toFixed(1)}–${i.endSec.toFixed(1)} s`;

/** The results table (plain text, no colours). */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const table = new Table({
    head: ['preview', 'starts on a sentence', 'speech fraction', 'bad overlap', 'inside ideal zone', 'ends cleanly', 'n'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    const s = r.summary;
    table.push([
      r.name,
      pct(s.sentenceStartShare),
      pct(s.meanSpeechFraction),
      sec(s.meanBadOverlapSec),
      pct(s.idealZoneShare),
      pct(s.endsCleanlyShare),
      String(s.n),
    ]);
  }
  table.push([
    'target',
    `≥ ${TARGETS.sentenceStartShare * 100} %`,
    '',
    `≤ ${TARGETS.meanBadOverlapSec} s`,
    `≥ ${TARGETS.idealZoneShare * 100} %`,
    `≥ ${TARGETS.endsCleanlyShare * 100} %`,
    '',
  ]);
  return table.toString();
}

/** The same table as Markdown, for the README. */
export function summaryMarkdown(rows: readonly SummaryRow[]): string {
  const lines = [
    '| preview | starts on a sentence | speech fraction | bad overlap | inside ideal zone | ends cleanly | n |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const s = r.summary;
    lines.push(
      `| ${r.name} | ${pct(s.sentenceStartShare)} | ${pct(s.meanSpeechFraction)} | ${sec(s.meanBadOverlapSec)} | ${pct(s.idealZoneShare)} | ${pct(s.endsCleanlyShare)} | ${s.n} |`,
    );
  }
  lines.push(
    `| target | ≥ ${TARGETS.sentenceStartShare * 100} % | | ≤ ${TARGETS.meanBadOverlapSec} s | ≥ ${TARGETS.idealZoneShare * 100} % | ≥ ${TARGETS.endsCleanlyShare * 100} % | |`,
  );
  return lines.join('\n');
}

/** What the window starts in: the labelled segment around `t`, or the pause it falls in. */
function whereIs(labels: EpisodeLabels, t: number): string {
  const seg = labels.segments.find((s) => t >= s.startSec && t < s.endSec);
  if (seg) {
    const bed = labels.beds.some((b) => t >= b.startSec && t < b.endSec) ? ' over a bed' : '';
    const sentence = labels.sentences.find((s) => t >= s.startSec && t < s.endSec);
    return `inside ${seg.kind} ${span(seg)}${bed}${sentence ? `, ${(t - sentence.startSec).toFixed(1)} s into a ${sentence.speaker} sentence` : ', in a pause'}`;
  }
  return 'in an unlabelled pause';
}

/**
 * Why a preview misses the per-episode targets (empty when it meets them all): for reading
 * a failure next to the episode's structure, not for scoring.
 */
export function failureReasons(labels: EpisodeLabels, window: Interval, score: PreviewScore): string[] {
  const reasons: string[] = [];
  if (!score.startsOnSentence) {
    const nearest = [...labels.sentences].sort((a, b) => Math.abs(a.startSec - window.startSec) - Math.abs(b.startSec - window.startSec))[0];
    reasons.push(
      `start ${window.startSec.toFixed(2)} s is ${score.startOffsetSec.toFixed(2)} s from the nearest sentence start (> ${SENTENCE_START_TOLERANCE_SEC} s)` +
        `${nearest ? `: ${nearest.kind} sentence at ${nearest.startSec.toFixed(2)} s` : ''}; the start is ${whereIs(labels, window.startSec)}`,
    );
  }
  if (score.badOverlapSec > TARGETS.meanBadOverlapSec) {
    const parts = Object.entries(score.badByKind).map(([k, v]) => `${k} ${v.toFixed(1)} s`);
    reasons.push(`bad overlap ${score.badOverlapSec.toFixed(1)} s (> ${TARGETS.meanBadOverlapSec} s): ${parts.join(', ')}`);
  }
  if (!score.insideIdealZone) {
    const zones = idealZones(labels);
    const touching = zones.filter((z) => z.endSec > window.startSec && z.startSec < window.endSec);
    const longest = Math.max(0, ...zones.map((z) => z.endSec - z.startSec));
    reasons.push(
      `not inside an ideal zone: ${touching.length > 0 ? `overlaps zone(s) ${touching.map(span).join(', ')}` : 'touches no content zone'}` +
        ` (zones: ${zones.map(span).join(', ')}; longest ${longest.toFixed(1)} s)`,
    );
  }
  if (!score.endsCleanly) {
    const inside = labels.sentences.find((x) => window.endSec > x.startSec && window.endSec < x.endSec);
    reasons.push(`ends inside a sentence at ${window.endSec.toFixed(2)} s${inside ? ` (${inside.kind}, ${span(inside)})` : ''}`);
  }
  return reasons;
}

/** The system's preview per episode, or why there is none. */
export interface SystemRun {
  status: string;
  window: Interval | null;
  path: SelectionPath | null;
  reason: string | null;
}

export interface ScoredEpisode {
  labels: EpisodeLabels;
  run: SystemRun;
  system: PreviewScore | null;
  baselines: Record<Baseline, { window: Interval; score: PreviewScore }>;
}

/** Scores the system's previews and the naive baselines, episode by episode. */
export function scoreEpisodes(episodes: readonly EpisodeLabels[], runs: readonly SystemRun[], previewSec: number): ScoredEpisode[] {
  return episodes.map((labels, i) => {
    const run = runs[i]!;
    const baselines = Object.fromEntries(
      (['start-at-0', 'start-at-30%'] as Baseline[]).map((b) => {
        const window = baselineWindow(labels, b, previewSec);
        return [b, { window, score: scorePreview(labels, window) }];
      }),
    ) as ScoredEpisode['baselines'];
    return { labels, run, system: run.window ? scorePreview(labels, run.window) : null, baselines };
  });
}

/** Prints the summary table (all, with and without transcript, baselines) and every per-episode failure; returns the table's rows. */
export function printResults(say: (line: string) => void, scored: readonly ScoredEpisode[]): SummaryRow[] {
  const systemScores = (filter: (s: ScoredEpisode) => boolean) => scored.filter((s) => filter(s) && s.system).map((s) => s.system!);
  const rows: SummaryRow[] = [
    { name: 'system', summary: aggregate(systemScores(() => true)) },
    { name: 'system (with transcript)', summary: aggregate(systemScores((s) => s.labels.hasTranscript)) },
    { name: 'system (audio only)', summary: aggregate(systemScores((s) => !s.labels.hasTranscript)) },
    { name: 'start-at-0', summary: aggregate(scored.map((s) => s.baselines['start-at-0'].score)) },
    { name: 'start-at-30%', summary: aggregate(scored.map((s) => s.baselines['start-at-30%'].score)) },
  ];
  say('');
  say(summaryTable(rows));
  say('starts on a sentence: share of previews starting within 0.5 s of a labelled sentence start;');
  say('speech fraction: mean share of the window covered by sentences; bad overlap: mean seconds on');
  say('music, ads, intro, outro and dead air over 1.5 s; inside ideal zone: share of windows wholly in content;');
  say('ends cleanly: share of previews whose end falls between sentences (or at the episode end), not inside one.');

  const failed = scored.filter((s) => !s.system);
  const failures = scored
    .flatMap((s) => (s.system && s.run.window ? [{ s, reasons: failureReasons(s.labels, s.run.window, s.system) }] : []))
    .filter((f) => f.reasons.length > 0);
  say('');
  say(
    `system failures (${failures.length} of ${scored.length - failed.length} scored episodes miss a per-episode target; ${failed.length} runs without a preview):`,
  );
  for (const s of failed) say(`  ${s.labels.id}: run ${s.run.status}: ${s.run.reason}`);
  for (const { s, reasons } of failures) {
    const l = s.labels;
    say(
      `  ${l.id} (${l.container}, ${l.hasTranscript ? `transcript, ${l.sentencesPerCue} sentence(s)/cue` : 'no transcript'}, ${l.durationSec.toFixed(1)} s): preview ${s.run.window!.startSec.toFixed(2)}–${s.run.window!.endSec.toFixed(2)} s via ${s.run.path}`,
    );
    for (const r of reasons) say(`    - ${r}`);
    say(`    structure: ${l.structure.join(' | ')}`);
  }
  return rows;
}

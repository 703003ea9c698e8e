import type { EpisodeLabels } from './labels.ts';
import { idealZones, MAX_PAUSE_SEC } from './score.ts';

export interface CheckOptions {
  /** Allowed episode length (the full set: 2-7 minutes). */
  durationSec?: readonly [number, number];
  /** Longest ideal zone must be at least this long, so a perfect preview exists. */
  minLongestZoneSec?: number;
}

/**
 * Problems with a labelled episode, empty when consistent: segments ordered and inside the
 * file, every sentence inside one segment of its own kind, speech segments spanning exactly
 * their sentences with no long pause inside, silence segments holding no speech.
 */
export function labelProblems(l: EpisodeLabels, o: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const eps = 1e-6;
  l.segments.forEach((s, i) => {
    if (!(s.endSec > s.startSec)) problems.push(`segment ${i} (${s.kind}) is empty or reversed`);
    if (s.startSec < -eps || s.endSec > l.durationSec + eps) problems.push(`segment ${i} (${s.kind}) lies outside 0-${l.durationSec} s`);
    const prev = l.segments[i - 1];
    if (prev && s.startSec < prev.endSec - eps) problems.push(`segment ${i} (${s.kind}) overlaps the one before`);
  });
  l.sentences.forEach((s, i) => {
    const prev = l.sentences[i - 1];
    if (prev && s.startSec < prev.endSec - eps) problems.push(`sentence ${i} overlaps the one before`);
    const home = l.segments.filter((g) => s.startSec >= g.startSec - eps && s.endSec <= g.endSec + eps);
    if (home.length !== 1 || home[0]!.kind !== s.kind) problems.push(`sentence ${i} (${s.kind}) is not inside exactly one ${s.kind} segment`);
  });
  for (const g of l.segments) {
    const inside = l.sentences.filter((s) => s.startSec >= g.startSec - eps && s.endSec <= g.endSec + eps);
    if (g.kind === 'music' || g.kind === 'silence') {
      if (l.sentences.some((s) => s.startSec < g.endSec - eps && s.endSec > g.startSec + eps))
        problems.push(`${g.kind} segment at ${g.startSec} s overlaps speech`);
      if (g.kind === 'silence' && g.endSec - g.startSec < 2 - eps) problems.push(`silence segment at ${g.startSec} s is shorter than 2 s`);
      continue;
    }
    if (inside.length === 0) {
      problems.push(`${g.kind} segment at ${g.startSec} s holds no sentence`);
      continue;
    }
    if (Math.abs(inside[0]!.startSec - g.startSec) > eps || Math.abs(inside.at(-1)!.endSec - g.endSec) > eps) {
      problems.push(`${g.kind} segment at ${g.startSec} s does not span its sentences exactly`);
    }
    inside.slice(1).forEach((s, i) => {
      if (s.startSec - inside[i]!.endSec > MAX_PAUSE_SEC)
        problems.push(`${g.kind} segment at ${g.startSec} s has a pause over ${MAX_PAUSE_SEC} s at ${s.startSec} s`);
    });
  }
  for (const b of l.beds) {
    if (!l.segments.some((g) => g.kind === b.under && g.startSec >= b.startSec - eps && g.endSec <= b.endSec + eps))
      problems.push(`bed at ${b.startSec} s does not cover a ${b.under} segment`);
  }
  if (l.hasTranscript !== (l.transcript !== null)) problems.push('hasTranscript disagrees with transcript');
  if (o.durationSec && (l.durationSec < o.durationSec[0] || l.durationSec > o.durationSec[1])) {
    problems.push(`duration ${l.durationSec} s is outside ${o.durationSec[0]}-${o.durationSec[1]} s`);
  }
  if (o.minLongestZoneSec !== undefined) {
    const longest = Math.max(0, ...idealZones(l).map((z) => z.endSec - z.startSec));
    if (longest < o.minLongestZoneSec) problems.push(`longest ideal zone is ${longest.toFixed(1)} s (< ${o.minLongestZoneSec} s)`);
  }
  return problems;
}

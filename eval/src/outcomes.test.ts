import { describe, expect, it } from 'vitest';
import { externalOutcomes, type ScorerLine } from './external-report.ts';
import { changeKey, previousRun } from './frozen.ts';
import { byGroup, byPath, lengthOk, outcomeOf, summarize, type EpisodeOutcome } from './outcomes.ts';
import type { PreviewScore } from './score.ts';

const score = (o: Partial<PreviewScore> = {}): PreviewScore => ({
  startsOnSentence: true,
  startOffsetSec: 0,
  speechFraction: 0.9,
  badOverlapSec: 0,
  badByKind: {},
  insideIdealZone: true,
  endsCleanly: true,
  ...o,
});
const outcome = (o: Partial<EpisodeOutcome> = {}): EpisodeOutcome => ({
  hasTranscript: false,
  previewed: true,
  good: true,
  hit: true,
  sentence: true,
  badSec: 0,
  endsCleanly: true,
  ...o,
});

describe('outcomeOf', () => {
  it('is good only inside a zone, on a sentence and 60 ± 1 s long', () => {
    expect(outcomeOf(true, 300, 60, { startSec: 10, endSec: 70.5 }, score()).good).toBe(true);
    expect(outcomeOf(true, 300, 60, { startSec: 10, endSec: 71.5 }, score()).good).toBe(false);
    expect(outcomeOf(true, 300, 60, { startSec: 10, endSec: 70 }, score({ insideIdealZone: false })).good).toBe(false);
    expect(outcomeOf(true, 300, 60, { startSec: 10, endSec: 70 }, score({ startsOnSentence: false })).good).toBe(false);
  });

  it('counts a missing preview as a miss with a whole window of bad seconds', () => {
    expect(outcomeOf(false, 300, 60, null, null)).toEqual({
      hasTranscript: false,
      previewed: false,
      good: false,
      hit: false,
      sentence: false,
      badSec: 60,
      endsCleanly: false,
    });
  });

  it('wants the whole episode when it is shorter than a preview', () => {
    expect(lengthOk({ startSec: 0, endSec: 45 }, 45, 60)).toBe(true);
    expect(lengthOk({ startSec: 0, endSec: 30 }, 45, 60)).toBe(false);
  });
});

describe('summarize', () => {
  it('gives each share its Wilson interval and the mean bad overlap a bootstrap one', () => {
    const outcomes = [
      ...Array.from({ length: 18 }, () => outcome()),
      outcome({ good: false, hit: false, badSec: 12 }),
      outcome({ previewed: false, good: false, badSec: 60 }),
    ];
    const s = summarize(outcomes);
    expect(s.n).toBe(20);
    expect(s.missing).toBe(1);
    expect(s.good.value).toBeCloseTo(18 / 20);
    expect(s.good.lo).toBeLessThan(0.9);
    expect(s.good.hi).toBeGreaterThan(0.9);
    expect(s.hit.value).toBeCloseTo(19 / 20);
    expect(s.badSec.value).toBeCloseTo(72 / 20);
    expect(s.badSec.lo).toBeLessThan(s.badSec.value);
    expect(s.badSec.hi).toBeGreaterThan(s.badSec.value);
  });

  it('splits by path and by group, keeping every episode in exactly one path', () => {
    const outcomes = [outcome({ hasTranscript: true }), outcome({ hasTranscript: true, good: false }), outcome()];
    const [all, withTranscript, audioOnly] = byPath(outcomes);
    expect([all?.summary.n, withTranscript?.summary.n, audioOnly?.summary.n]).toEqual([3, 2, 1]);
    expect(withTranscript?.summary.good.value).toBeCloseTo(0.5);
    const groups = byGroup([
      { group: 'b', outcome: outcome() },
      { group: 'a', outcome: outcome({ good: false }) },
      { group: 'b', outcome: outcome({ hasTranscript: true }) },
    ]);
    expect(groups.map((g) => `${g.name}:${g.summary.n}`)).toEqual([
      'b (all):2',
      'b (with transcript):1',
      'b (audio only):1',
      'a (all):1',
      'a (with transcript):0',
      'a (audio only):1',
    ]);
  });
});

describe('externalOutcomes', () => {
  const line = (o: Partial<ScorerLine> = {}): ScorerLine => ({ missing: false, hit: 1, sentence: 1, bad_s: 0, len_ok: 1, ends_clean: 1, good: 1, ...o });

  it("reads the scorer's lines, and an episode it has no line for as a miss", () => {
    const out = externalOutcomes({ 'ep-a': line({ good: 0, hit: 0, bad_s: 3.5 }), 'ep-b': line() }, { 'ep-a': true, 'ep-b': false, 'ep-c': false });
    expect(out.map((o) => [o.hasTranscript, o.good, o.hit, o.badSec, o.previewed])).toEqual([
      [true, false, false, 3.5, true],
      [false, true, true, 0, true],
      [false, false, false, 60, false],
    ]);
  });
});

describe('frozen run log', () => {
  it('finds the run already made for the same change, and none for another', () => {
    const key = changeKey({ commit: 'abc', diff: '', config: { w: 1 }, generator: 'g1' });
    expect(changeKey({ commit: 'abc', diff: '', config: { w: 2 }, generator: 'g1' })).not.toBe(key);
    expect(changeKey({ commit: 'abc', diff: 'x', config: { w: 1 }, generator: 'g1' })).not.toBe(key);
    const log = `${JSON.stringify({ key: 'other', commit: 'c0' })}\n${JSON.stringify({ key, commit: 'abc', date: 'd' })}\n`;
    expect(previousRun(log, key)?.commit).toBe('abc');
    expect(previousRun(log, 'nope')).toBeUndefined();
  });
});

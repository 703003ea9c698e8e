import { describe, expect, it } from 'vitest';
import type { EpisodeLabels, SentenceLabel, SpeechKind } from './labels.ts';
import {
  aggregate,
  badOverlapSec,
  baselineWindow,
  coveredSec,
  deadAir,
  idealZones,
  insideIdealZone,
  endsCleanly,
  scorePreview,
  speechFraction,
  startsOnSentence,
  union,
} from './score.ts';

/** Sentences of 4.5 s with 0.5 s pauses from `from` until `to`. */
function speech(kind: SpeechKind, from: number, to: number): SentenceLabel[] {
  const out: SentenceLabel[] = [];
  for (let t = from; t + 4.5 <= to + 1e-9; t += 5) out.push({ startSec: t, endSec: t + 4.5, kind, speaker: 'host', text: `${kind} at ${t}` });
  return out;
}

/**
 * music 0-10 | intro 11-20.5 | content 21-120.5 | silence 120.5-124 | content 124-178.5 |
 * outro 180-189.5 | music 190-197 | dead air 197-200
 */
function episode(): EpisodeLabels {
  const sentences = [...speech('intro', 11, 20.5), ...speech('content', 21, 120.5), ...speech('content', 124, 178.5), ...speech('outro', 180, 189.5)];
  const span = (kind: SpeechKind) => {
    const s = sentences.filter((x) => x.kind === kind);
    return { startSec: s[0]!.startSec, endSec: s.at(-1)!.endSec };
  };
  const content = sentences.filter((s) => s.kind === 'content');
  const firstBlock = content.filter((s) => s.endSec <= 121);
  const secondBlock = content.filter((s) => s.startSec >= 124);
  return {
    id: 't',
    file: 't.mp3',
    transcript: null,
    hasTranscript: false,
    sentencesPerCue: null,
    container: 'mp3',
    durationSec: 200,
    structure: [],
    voices: { host: 'a', guest: 'b', announcer: 'a' },
    segments: [
      { kind: 'music', startSec: 0, endSec: 10 },
      { kind: 'intro', ...span('intro') },
      { kind: 'content', startSec: firstBlock[0]!.startSec, endSec: firstBlock.at(-1)!.endSec },
      { kind: 'silence', startSec: firstBlock.at(-1)!.endSec, endSec: 124 },
      { kind: 'content', startSec: 124, endSec: secondBlock.at(-1)!.endSec },
      { kind: 'outro', ...span('outro') },
      { kind: 'music', startSec: 190, endSec: 197 },
    ],
    sentences,
    beds: [],
  };
}

describe('startsOnSentence', () => {
  it('accepts a start within half a second of any sentence start, either side', () => {
    const l = episode();
    expect(startsOnSentence(l, 21)).toBe(true);
    expect(startsOnSentence(l, 21.5)).toBe(true);
    expect(startsOnSentence(l, 20.6)).toBe(true);
    expect(startsOnSentence(l, 21.6)).toBe(false);
    expect(startsOnSentence(l, 5)).toBe(false); // in the music
    expect(startsOnSentence(l, 11.2)).toBe(true); // an intro sentence still counts as a sentence start
  });
});

describe('speechFraction', () => {
  it('is the share of the window covered by sentences of any kind', () => {
    const l = episode();
    expect(speechFraction(l, { startSec: 21, endSec: 81 })).toBeCloseTo(0.9, 6);
    expect(speechFraction(l, { startSec: 0, endSec: 10 })).toBe(0);
    // 11-16 (5 s window): 4.5 s of intro speech.
    expect(speechFraction(l, { startSec: 11, endSec: 16 })).toBeCloseTo(0.9, 6);
  });
});

describe('badOverlapSec', () => {
  it('counts music, intro, ad, outro and silence segments', () => {
    const l = episode();
    // music 5-10 (5 s) + intro 11-20.5 (9.5 s); the short pauses around the intro are not bad.
    expect(badOverlapSec(l, { startSec: 5, endSec: 65 })).toBeCloseTo(14.5, 6);
    expect(badOverlapSec(l, { startSec: 21, endSec: 81 })).toBe(0);
    // The 3.5 s silence is counted once, though it is both a segment and dead air.
    expect(badOverlapSec(l, { startSec: 100, endSec: 160 })).toBeCloseTo(3.5, 6);
  });

  it('counts unlabelled dead air longer than 1.5 s, but not shorter pauses', () => {
    const l = episode();
    expect(deadAir(l)).toEqual([
      { startSec: 120.5, endSec: 124 },
      { startSec: 197, endSec: 200 },
    ]);
    // The 1.5 s pause before the outro is not dead air; outro 9.5 + music 7 + dead air 3 are bad.
    expect(badOverlapSec(l, { startSec: 140, endSec: 200 })).toBeCloseTo(19.5, 6);
  });

  it('does not count a music bed under content as bad', () => {
    const l = { ...episode(), beds: [{ startSec: 20.7, endSec: 120.9, under: 'content' as const, gain: 0.3 }] };
    expect(badOverlapSec(l, { startSec: 21, endSec: 81 })).toBe(0);
    expect(insideIdealZone(l, { startSec: 21, endSec: 81 })).toBe(true);
  });
});

describe('idealZones and insideIdealZone', () => {
  it('uses content segments, split by the silence gap', () => {
    expect(idealZones(episode())).toEqual([
      { startSec: 21, endSec: 120.5 },
      { startSec: 124, endSec: 178.5 },
    ]);
  });

  it('joins content segments separated only by a short pause', () => {
    const l = episode();
    l.segments = l.segments.filter((s) => s.kind !== 'silence');
    l.segments[3] = { kind: 'content', startSec: 122, endSec: 178.5 };
    l.sentences = l.sentences.map((s) => (s.startSec === 124 ? { ...s, startSec: 122 } : s));
    expect(idealZones(l)).toEqual([{ startSec: 21, endSec: 178.5 }]);
  });

  it('requires the whole window inside one zone, with half a second of slack at the edges', () => {
    const l = episode();
    expect(insideIdealZone(l, { startSec: 21, endSec: 81 })).toBe(true);
    expect(insideIdealZone(l, { startSec: 20.6, endSec: 80.6 })).toBe(true);
    expect(insideIdealZone(l, { startSec: 20, endSec: 80 })).toBe(false); // starts in the intro pause
    expect(insideIdealZone(l, { startSec: 61, endSec: 121 })).toBe(true); // ends 0.5 s after the last sentence
    expect(insideIdealZone(l, { startSec: 61.2, endSec: 121.2 })).toBe(false);
    expect(insideIdealZone(l, { startSec: 100, endSec: 160 })).toBe(false); // spans the silence
    expect(insideIdealZone(l, { startSec: 124, endSec: 184 })).toBe(false); // runs into the outro
  });
});

describe('scorePreview', () => {
  it('reports every metric and the bad seconds per kind', () => {
    const s = scorePreview(episode(), { startSec: 5, endSec: 65 });
    expect(s.startsOnSentence).toBe(false);
    expect(s.startOffsetSec).toBeCloseTo(6, 6);
    expect(s.insideIdealZone).toBe(false);
    expect(s.badOverlapSec).toBeCloseTo(14.5, 6);
    expect(s.badByKind).toEqual({ music: 5, intro: 9.5 });
  });
});

describe('baselineWindow', () => {
  it('starts at 0 or at 30 % of the duration, 60 s long', () => {
    const l = episode();
    expect(baselineWindow(l, 'start-at-0', 60)).toEqual({ startSec: 0, endSec: 60 });
    expect(baselineWindow(l, 'start-at-30%', 60)).toEqual({ startSec: 60, endSec: 120 });
  });

  it('covers the whole episode when it is shorter than the preview', () => {
    const l = { ...episode(), durationSec: 50 };
    expect(baselineWindow(l, 'start-at-0', 60)).toEqual({ startSec: 0, endSec: 50 });
    expect(baselineWindow(l, 'start-at-30%', 60)).toEqual({ startSec: 0, endSec: 50 });
  });
});

describe('endsCleanly', () => {
  it('is false inside a sentence, true between sentences, just after one, and at the episode end', () => {
    const l = episode();
    const s = l.sentences[1]!;
    expect(endsCleanly(l, { startSec: 0, endSec: (s.startSec + s.endSec) / 2 })).toBe(false);
    expect(endsCleanly(l, { startSec: 0, endSec: s.endSec + 0.1 })).toBe(true);
    expect(endsCleanly(l, { startSec: 0, endSec: s.endSec - 0.1 })).toBe(true);
    expect(endsCleanly(l, { startSec: 0, endSec: l.durationSec })).toBe(true);
    expect(aggregate([scorePreview(l, { startSec: 0, endSec: (s.startSec + s.endSec) / 2 })]).endsCleanlyShare).toBe(0);
  });
});

describe('aggregate', () => {
  it('gives shares and means over episodes', () => {
    const l = episode();
    const good = scorePreview(l, { startSec: 21, endSec: 81 });
    const bad = scorePreview(l, { startSec: 5, endSec: 65 });
    const s = aggregate([good, bad]);
    expect(s.n).toBe(2);
    expect(s.sentenceStartShare).toBe(0.5);
    expect(s.idealZoneShare).toBe(0.5);
    expect(s.meanBadOverlapSec).toBeCloseTo(14.5 / 2, 6);
    expect(s.meanSpeechFraction).toBeCloseTo((good.speechFraction + bad.speechFraction) / 2, 6);
    expect(Number.isNaN(aggregate([]).meanSpeechFraction)).toBe(true);
  });
});

describe('interval helpers', () => {
  it('merges overlapping intervals and measures coverage once', () => {
    expect(
      union([
        { startSec: 5, endSec: 8 },
        { startSec: 0, endSec: 2 },
        { startSec: 1, endSec: 3 },
      ]),
    ).toEqual([
      { startSec: 0, endSec: 3 },
      { startSec: 5, endSec: 8 },
    ]);
    expect(
      coveredSec({ startSec: 1, endSec: 6 }, [
        { startSec: 0, endSec: 2 },
        { startSec: 1, endSec: 3 },
        { startSec: 5, endSec: 8 },
      ]),
    ).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';

describe('splitSentences', () => {
  it('splits a cue holding two sentences and interpolates the second start', () => {
    const s = splitSentences([{ startSec: 10, endSec: 20, text: 'The first sentence is here. The second one follows it.' }]);
    expect(s.map((x) => x.text)).toEqual(['The first sentence is here.', 'The second one follows it.']);
    expect(s[0]!.startSec).toBe(10);
    expect(s[1]!.startSec).toBeGreaterThan(14);
    expect(s[1]!.startSec).toBeLessThan(16);
    expect(s[1]!.endSec).toBe(20);
  });

  it('joins a sentence that spans cues and starts it at the first cue', () => {
    const s = splitSentences([
      { startSec: 0, endSec: 2, text: 'This sentence keeps' },
      { startSec: 2, endSec: 4, text: 'going across cues. Next.' },
    ]);
    expect(s[0]!.text).toBe('This sentence keeps going across cues.');
    expect(s[0]!.startSec).toBe(0);
    expect(s[1]!.startSec).toBeGreaterThan(3);
  });
});

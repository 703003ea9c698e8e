import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentWords, sentenceCentrality } from './centrality.ts';

const BEES = [
  'Honeybees find their way home using the position of the sun and a memory of landmarks.',
  'A forager bee dances to tell other bees in the hive where the flowers are.',
  'The angle of the dance tells the hive the direction of the flowers relative to the sun.',
  'Researchers glued tiny radar tags to bees to follow their flights across the fields.',
  'My cousin supports a football club that has not won a match since October.', // off topic
  'Bees that lose sight of the sun can still navigate by polarised light in the sky.',
];

describe('sentenceCentrality', () => {
  it('ranks on-topic sentences above an off-topic one, with the most central at exactly 1', () => {
    const c = sentenceCentrality(BEES);
    expect(c).toHaveLength(BEES.length);
    expect(Math.max(...c)).toBe(1);
    for (const i of [0, 1, 2, 3, 5]) expect(c[i]!).toBeGreaterThan(c[4]!);
    expect(c[4]!).toBeLessThan(0.2);
    for (const v of c) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('puts an aside below the topic in a real transcript (samples/interview.srt)', () => {
    const srt = readFileSync(new URL('../../../samples/interview.srt', import.meta.url), 'utf8');
    const lines = srt
      .split(/\r?\n\r?\n/)
      .map((b) => b.split(/\r?\n/).slice(2).join(' ').trim())
      .filter(Boolean);
    const c = sentenceCentrality(lines);
    const aside = lines.findIndex((l) => l.startsWith('Sorry, we lost the line'));
    const onTopic = lines.findIndex((l) => l.startsWith('Shade is the biggest part'));
    expect(aside).toBeGreaterThan(0);
    expect(c[onTopic]!).toBeGreaterThan(c[aside]!);
  });

  it('is robust to one sentence, no sentences, empty strings and stop words only', () => {
    expect(Array.from(sentenceCentrality(['Only one sentence here.']))).toEqual([1]);
    expect(sentenceCentrality([])).toHaveLength(0);
    expect(Array.from(sentenceCentrality(['', '   ', 'Yeah, so, I mean, right?']))).toEqual([0, 0, 0]);
    const c = sentenceCentrality(['', 'Glaciers are melting.', 'Glaciers feed rivers.', 'and so on']);
    expect(c[0]).toBe(0);
    expect(c[3]).toBe(0);
    expect(Math.max(...c)).toBe(1);
    expect(contentWords("The bee's dances, and the trees")).toEqual(['bee', 'dance', 'tree']);
  });

  it('scores 2,000 sentences, each in [0, 1] with the most central at 1, the same on every call', () => {
    let seed = 42;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const vocab = Array.from({ length: 3000 }, (_, i) => `word${(i * 7919) % 100_000}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!));
    const sentences = Array.from({ length: 2000 }, () =>
      Array.from({ length: 8 + Math.floor(rand() * 20) }, () => vocab[Math.floor(rand() ** 2 * vocab.length)]).join(' '),
    );
    // Speed is measured by `npm run bench:models`, not here.
    const c = sentenceCentrality(sentences);
    expect(c).toHaveLength(2000);
    expect(Math.min(...c)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...c)).toBe(1);
    expect(sentenceCentrality(sentences)).toEqual(c);
  });
});

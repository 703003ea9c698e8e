import { describe, expect, it } from 'vitest';
import { checkSentence } from '@podpreview/synth';
import { VOICES } from './content/voices.ts';
import { familySplitDraws, planDraws } from './draws.ts';
import { heldOutTags, IN_DISTRIBUTION, UNHEARD_PROGRAMS, UNHEARD_VOICES } from './families.ts';
import { planEvalSet, type EpisodePlan } from './plan.ts';
import { SENTENCE_RULES } from './render.ts';

const plans = planEvalSet();
const speech = (p: EpisodePlan) => p.parts.flatMap((x) => (x.type === 'speech' ? [x] : []));

describe('planEvalSet', () => {
  it('is deterministic', () => {
    expect(planEvalSet()).toEqual(plans);
  });

  it('plans at least 24 episodes, half with transcripts, in every container', () => {
    expect(plans.length).toBeGreaterThanOrEqual(24);
    expect(plans.filter((p) => p.transcript).length).toBe(plans.length / 2);
    expect(new Set(plans.map((p) => p.container))).toEqual(new Set(['mp3', 'm4a', 'ogg']));
    expect(new Set(plans.flatMap((p) => (p.transcript ? [`${p.transcript.format}/${p.transcript.sentencesPerCue}`] : [])))).toEqual(
      new Set(['vtt/1', 'vtt/2', 'srt/1', 'srt/2']),
    );
  });

  it('gives host and guest different voices, and one to two ad reads per episode', () => {
    for (const p of plans) {
      expect(p.voices.host, p.id).not.toBe(p.voices.guest);
      const ads = speech(p).filter((x) => x.kind === 'ad').length;
      expect(ads, p.id).toBeGreaterThanOrEqual(1);
      expect(ads, p.id).toBeLessThanOrEqual(2);
      expect(speech(p)[0]?.kind === 'intro' || p.parts[0]?.type === 'music' || speech(p)[0]?.note === 'cold open', p.id).toBe(true);
      expect(speech(p).at(-1)?.kind, p.id).toBe('outro');
    }
  });

  it('varies the structure across the set', () => {
    const notes = plans.map((p) => p.parts.map((x) => (x.type === 'silence' ? 'silence' : x.note)));
    expect(notes.filter((n) => n[0] === 'music intro').length).toBeGreaterThan(3);
    expect(notes.filter((n) => n[0] === 'cold open').length).toBeGreaterThan(2);
    expect(notes.filter((n) => n[0] === 'spoken intro').length).toBeGreaterThan(2);
    expect(notes.filter((n) => n.includes('silence')).length).toBeGreaterThan(3);
    expect(notes.filter((n) => n.some((x) => x.startsWith('pre-roll'))).length).toBeGreaterThan(3);
    expect(plans.filter((p) => speech(p).some((x) => x.kind === 'content' && x.bed)).length).toBeGreaterThan(2);
    expect(plans.filter((p) => speech(p).some((x) => x.kind === 'ad' && x.bed)).length).toBeGreaterThan(2);
    expect(new Set(plans.map((p) => p.estimatedSec > 240)).size).toBe(2);
  });

  it('never speaks the same content sentence in two episodes, and every line is one sentence', () => {
    const seen = new Map<string, string>();
    for (const p of plans) {
      for (const part of speech(p)) {
        for (const line of part.lines) {
          expect(() => checkSentence(line.text, SENTENCE_RULES)).not.toThrow();
          if (part.kind !== 'content') continue;
          expect(seen.get(line.text), `"${line.text}" in ${p.id}`).toBeUndefined();
          seen.set(line.text, p.id);
        }
      }
    }
  });
});

describe('family draws', () => {
  const lines = (p: EpisodePlan) => speech(p).flatMap((x) => x.lines);
  const songs = (p: EpisodePlan): { keys: number; drums: string }[] =>
    p.parts.flatMap((x): { keys: number; drums: string }[] => (x.type === 'music' ? [x.song] : x.type === 'speech' && x.bed ? [x.bed.style] : []));

  it('tags in-distribution episodes with the in-distribution families and their voices', () => {
    for (const p of plans) {
      expect(p.families).toEqual(IN_DISTRIBUTION);
      for (const v of Object.values(p.voices)) expect(Object.keys(VOICES), p.id).toContain(v);
    }
  });

  it('changes only the held-out family of each draw', () => {
    const draws = familySplitDraws(11, 6);
    const planned = planDraws(draws);
    expect(planned).toHaveLength(draws.length * 12);
    expect(new Set(planned.map((p) => p.id)).size).toBe(planned.length);
    for (const p of planned) {
      expect(heldOutTags(p.families), p.id).toHaveLength(1);
      for (const line of lines(p)) expect(() => checkSentence(line.text, SENTENCE_RULES), line.text).not.toThrow();
      const unheardVoices = Object.values(p.voices).every((v) => v in UNHEARD_VOICES);
      expect(unheardVoices, p.id).toBe(p.families.voices === 'unheard');
      const unheard = (s: { keys: number; drums: string }) => (UNHEARD_PROGRAMS.keys as readonly number[]).includes(s.keys) && s.drums === 'none';
      if (p.families.music === 'unheard') expect(songs(p).every(unheard), p.id).toBe(true);
      else expect(songs(p).some(unheard), p.id).toBe(false);
    }
  });

  it('gives the solo show one voice and no guest, and story ads none of the stock ad phrases', () => {
    const planned = planDraws(familySplitDraws(5, 6));
    const solo = planned.filter((p) => p.families.format === 'solo');
    expect(solo.length).toBe(12);
    for (const p of solo) {
      expect(
        lines(p).every((l) => l.speaker !== 'guest'),
        p.id,
      ).toBe(true);
      expect(p.voices.guest).toBe(p.voices.host);
    }
    const story = planned.filter((p) => p.families.ads === 'story');
    const stock = /brought to you|sponsor|promo code/i;
    for (const p of story) {
      const ads = speech(p).filter((x) => x.kind === 'ad');
      expect(ads.length, p.id).toBeGreaterThan(0);
      for (const a of ads) for (const l of a.lines) expect(l.text, p.id).not.toMatch(stock);
    }
    const stockAds = plans.flatMap((p) =>
      speech(p)
        .filter((x) => x.kind === 'ad')
        .flatMap((x) => x.lines),
    );
    expect(stockAds.some((l) => stock.test(l.text))).toBe(true);
  });

  it('plans draws larger than the topics last by going round them again', () => {
    const big = planEvalSet(120, 3);
    expect(big).toHaveLength(120);
    expect(big.filter((p) => p.transcript).length).toBe(60);
    expect(big.every((p) => speech(p).some((x) => x.kind === 'content'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { checkSentence } from '@podpreview/synth';
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

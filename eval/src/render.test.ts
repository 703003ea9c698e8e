import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools, mulberry32 } from '@podpreview/synth';
import { songOf } from './content/music.ts';
import { familiesOf, type Families } from './families.ts';
import { labelProblems } from './labels.check.ts';
import type { SentenceLabel } from './labels.ts';
import type { EpisodePlan } from './plan.ts';
import { stylesOf } from './plan.families.ts';
import { renderEpisode, toCues } from './render.ts';

const missing = missingTools(['espeak-ng', 'flite', 'sox', 'fluidsynth', 'ffmpeg', 'ffprobe']);

const dir = mkdtempSync(path.join(tmpdir(), 'podpreview-eval-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 40-second episode touching every part type: music, beds, silence, both engines (or the unheard voices and instruments). */
function smallPlan(override: Partial<Families> = {}): EpisodePlan {
  const rng = mulberry32(7);
  const families = familiesOf(override);
  const { theme, bed } = stylesOf(families);
  const line = (speaker: 'host' | 'guest' | 'announcer', text: string) => ({ speaker, text });
  return {
    id: 'tiny',
    seed: 7,
    show: 'Test Show',
    container: 'ogg',
    bitrateK: 24,
    transcript: { format: 'srt', sentencesPerCue: 2 },
    voices:
      families.voices === 'unheard'
        ? { host: 'us-klatt4', guest: 'rp-max', announcer: 'us-linda' }
        : { host: 'scotland-m4', guest: 'flite-slt', announcer: 'us-m7' },
    families,
    estimatedSec: 40,
    parts: [
      { type: 'music', song: songOf(theme(rng), 3), gapSec: 0.2, note: 'music intro' },
      {
        type: 'speech',
        kind: 'intro',
        lines: [line('host', "Welcome to Test Show, I'm your host.")],
        gapSec: 0.6,
        bed: { style: bed(rng), gain: 0.4 },
        note: 'spoken intro',
      },
      {
        type: 'speech',
        kind: 'content',
        lines: [
          line('host', 'What makes a good test episode?'),
          line('guest', 'It is short, but it still has every part the real ones have.'),
          line('guest', 'That way the labels are checked end to end.'),
        ],
        gapSec: 0.8,
        bed: null,
        note: 'content',
      },
      { type: 'silence', seconds: 2.5 },
      { type: 'speech', kind: 'ad', lines: [line('announcer', 'This episode is brought to you by nobody at all.')], gapSec: 0.8, bed: null, note: 'mid-roll' },
      { type: 'speech', kind: 'outro', lines: [line('host', 'Thanks for listening, and goodbye.')], gapSec: 0.8, bed: null, note: 'spoken outro' },
    ],
  };
}

describe('renderEpisode', () => {
  beforeAll(() => {
    if (missing.length > 0) throw new Error(`missing ${missing.join('; ')}: npm test installs them`);
  });

  it('writes audio and a transcript whose labels agree with each other and with the plan', () => {
    const labels = renderEpisode(smallPlan(), dir, dir);
    expect(labelProblems(labels)).toEqual([]);
    expect(labels.segments.map((s) => s.kind)).toEqual(['music', 'intro', 'content', 'silence', 'ad', 'outro']);
    expect(labels.sentences.map((s) => s.speaker)).toEqual(['host', 'host', 'guest', 'guest', 'announcer', 'host']);
    const silence = labels.segments.find((s) => s.kind === 'silence')!;
    expect(silence.endSec - silence.startSec).toBeCloseTo(2.5, 3);
    expect(labels.beds).toHaveLength(1);
    expect(labels.beds[0]!.under).toBe('intro');
    const last = labels.segments.at(-1)!;
    expect(labels.durationSec).toBeGreaterThan(last.endSec);
    // Two sentences per cue where they belong together: intro | content x2 | content | ad | outro.
    const srt = readFileSync(path.join(dir, labels.transcript!), 'utf8');
    expect(srt.match(/-->/g)).toHaveLength(5);
    expect(srt).toContain('What makes a good test episode? It is short, but it still has every part the real ones have.');
  });

  it('renders the unheard voices and instruments with labels that pass the same strict check', () => {
    const labels = renderEpisode({ ...smallPlan({ voices: 'unheard', music: 'unheard' }), id: 'tiny-unheard' }, dir, dir);
    expect(labelProblems(labels)).toEqual([]);
    expect(labels.families).toMatchObject({ voices: 'unheard', music: 'unheard' });
    expect(labels.voices.host).toBe('us-klatt4');
    expect(labels.segments.map((s) => s.kind)).toEqual(['music', 'intro', 'content', 'silence', 'ad', 'outro']);
  });
});

describe('toCues', () => {
  const s = (startSec: number, endSec: number, kind: SentenceLabel['kind'] = 'content'): SentenceLabel => ({
    startSec,
    endSec,
    kind,
    speaker: 'host',
    text: `s${startSec}.`,
  });
  it('pairs neighbouring sentences of the same kind, never across a long gap or a kind change', () => {
    const cues = toCues([s(0, 2, 'intro'), s(2.5, 4), s(4.5, 6), s(9, 10), s(10.5, 12, 'ad')], 2);
    expect(cues.map((c) => [c.startSec, c.endSec])).toEqual([
      [0, 2],
      [2.5, 6],
      [9, 10],
      [10.5, 12],
    ]);
    expect(toCues([s(0, 1), s(1.5, 2)], 1)).toHaveLength(2);
  });
});

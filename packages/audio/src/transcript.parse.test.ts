import { describe, expect, it } from 'vitest';
import { TranscriptError } from '@podpreview/shared';
import { parseTranscript } from './transcript.parse.ts';

describe('parseTranscript', () => {
  it('reads WebVTT cues with hours, voice tags and a header', () => {
    const vtt =
      'WEBVTT\n\nNOTE made by hand\n\n1\n00:00:01.500 --> 00:00:04.000\n<v Host>Hello and welcome.</v>\n\n01:00:00.000 --> 01:00:02.250 align:start\nSecond <b>cue</b>\nspans lines\n';
    expect(parseTranscript(vtt)).toEqual([
      { startSec: 1.5, endSec: 4, text: 'Hello and welcome.' },
      { startSec: 3600, endSec: 3602.25, text: 'Second cue spans lines' },
    ]);
  });

  it('reads SRT with comma decimals and CRLF line ends', () => {
    const srt = '1\r\n00:00:02,000 --> 00:00:05,500\r\nFirst line.\r\n\r\n2\r\n00:00:06,000 --> 00:00:07,000\r\nSecond.\r\n';
    const cues = parseTranscript(srt);
    expect(cues.map((c) => c.startSec)).toEqual([2, 6]);
    expect(cues[0]!.endSec).toBe(5.5);
  });

  it('refuses more cues than maxCues as soon as it has read them (PODPREVIEW_MAX_TRANSCRIPT_CUES)', () => {
    const cue = (i: number) => `00:00:${String(i % 60).padStart(2, '0')}.000 --> 00:00:${String(i % 60).padStart(2, '0')}.500\nline ${i}\n`;
    const vtt = `WEBVTT\n\n${Array.from({ length: 12 }, (_, i) => cue(i)).join('\n')}`;
    expect(parseTranscript(vtt, 't.vtt', { maxCues: 12 })).toHaveLength(12);
    expect(() => parseTranscript(vtt, 't.vtt', { maxCues: 11 })).toThrow(TranscriptError);
    expect(() => parseTranscript(vtt, 't.vtt', { maxCues: 11 })).toThrow(/more than 11 cues/);
  });

  it('rejects text that holds no cues', () => {
    expect(() => parseTranscript('just some words', 'x.vtt')).toThrow(TranscriptError);
  });

  it('rejects a cue that ends before it starts', () => {
    expect(() => parseTranscript('WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards\n')).toThrow(/ends before it starts/);
  });
});

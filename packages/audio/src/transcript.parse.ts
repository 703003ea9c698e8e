import { type Cue, TranscriptError } from '@podpreview/shared';

const TIME = /(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})/;
const CUE_TIMING = new RegExp(`^\\s*${TIME.source}\\s*-->\\s*${TIME.source}`);

function toSec(h: string | undefined, m: string, s: string, ms: string): number {
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms.padEnd(3, '0')) / 1000;
}

/** Strips WebVTT voice/styling tags (`<v Host>`, `<b>`) and collapses whitespace. */
function cleanText(lines: string[]): string {
  return lines
    .join(' ')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Parses WebVTT or SRT (the two share the cue-block shape; the timing line is what matters).
 * Cue times are kept so sentence starts can be placed on the audio timeline. More than
 * `maxCues` cues is refused as it is found (PODPREVIEW_MAX_TRANSCRIPT_CUES): parsing runs on the
 * worker's event loop, so its size is bounded here and by the file's size before it is read.
 */
export function parseTranscript(text: string, label = 'transcript', o: { maxCues?: number } = {}): Cue[] {
  const maxCues = o.maxCues ?? Number.POSITIVE_INFINITY;
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const blocks = normalized.split(/\n{2,}/);
  const cues: Cue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const timingIdx = lines.findIndex((l) => l.includes('-->'));
    if (timingIdx < 0) continue; // header, NOTE, STYLE, or SRT index-only noise
    const m = CUE_TIMING.exec(lines[timingIdx]!);
    if (!m) throw new TranscriptError(label, `bad cue timing line "${lines[timingIdx]}"`);
    const startSec = toSec(m[1], m[2]!, m[3]!, m[4]!);
    const endSec = toSec(m[5], m[6]!, m[7]!, m[8]!);
    if (!(endSec >= startSec)) throw new TranscriptError(label, `cue ends before it starts at "${lines[timingIdx]}"`);
    const body = cleanText(lines.slice(timingIdx + 1));
    if (body) cues.push({ startSec, endSec, text: body });
    if (cues.length > maxCues) throw new TranscriptError(label, `more than ${maxCues} cues (PODPREVIEW_MAX_TRANSCRIPT_CUES)`);
  }
  if (cues.length === 0) throw new TranscriptError(label, 'no cues found (expected WebVTT or SRT)');
  return cues.sort((a, b) => a.startSec - b.startSec);
}

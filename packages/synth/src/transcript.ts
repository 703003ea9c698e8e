export interface CueText {
  startSec: number;
  endSec: number;
  text: string;
}

/** hh:mm:ss.mmm (WebVTT) or hh:mm:ss,mmm (SRT), from integer milliseconds to avoid drift. */
export function timestamp(sec: number, separator: '.' | ','): string {
  const ms = Math.round(sec * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

export function toVtt(cues: readonly CueText[]): string {
  const blocks = cues.map((s, i) => `${i + 1}\n${timestamp(s.startSec, '.')} --> ${timestamp(s.endSec, '.')}\n${s.text}\n`);
  return `WEBVTT\n\n${blocks.join('\n')}`;
}

export function toSrt(cues: readonly CueText[]): string {
  return cues.map((s, i) => `${i + 1}\n${timestamp(s.startSec, ',')} --> ${timestamp(s.endSec, ',')}\n${s.text}\n`).join('\n');
}

import { runCommandSync as run } from '@podpreview/shared';
import { SAMPLE_RATE } from './pcm.ts';

export type Container = 'mp3' | 'm4a' | 'ogg';

export interface EncodeOptions {
  container: Container;
  /** Defaults: 32 kbit/s MP3, 48 kbit/s AAC, 24 kbit/s Opus. */
  bitrateK?: number;
  title: string;
  artist: string;
}

const DEFAULT_KBPS: Record<Container, number> = { mp3: 32, m4a: 48, ogg: 24 };

function codecArgs(container: Container, kbps: number): string[] {
  switch (container) {
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-b:a', `${kbps}k`, '-ar', String(SAMPLE_RATE)];
    case 'm4a':
      return ['-c:a', 'aac', '-b:a', `${kbps}k`, '-ar', String(SAMPLE_RATE)];
    case 'ogg':
      return ['-c:a', 'libopus', '-b:a', `${kbps}k`, '-ar', '24000']; // Opus has no 22.05 kHz mode
  }
}

/**
 * Encodes a mono master WAV with ffmpeg. The bitexact flags drop encoder version strings and
 * random Ogg serial numbers, so the same master gives the same bytes on every run.
 */
export function encodeAudio(master: string, out: string, o: EncodeOptions): void {
  run('ffmpeg', [
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-i',
    master,
    '-ac',
    '1',
    ...codecArgs(o.container, o.bitrateK ?? DEFAULT_KBPS[o.container]),
    '-map_metadata',
    '-1',
    '-metadata',
    `title=${o.title}`,
    '-metadata',
    `artist=${o.artist}`,
    '-fflags',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    out,
  ]);
}

/** Decodes any audio file to mono Float32 at SAMPLE_RATE (the file's own timeline, gapless info applied). */
export function decodeMono(file: string): Float32Array {
  const raw = run('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', String(SAMPLE_RATE), '-']);
  const pcm = new Float32Array(raw.length / 2);
  for (let i = 0; i < pcm.length; i++) pcm[i] = raw.readInt16LE(i * 2) / 32768;
  return pcm;
}

/** The container's duration and first stream's codec, as ffprobe reports them. */
export function probeAudio(file: string): { durationSec: number; codec: string } {
  const probe = JSON.parse(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', file]).toString()) as {
    format?: { duration?: string };
    streams?: { codec_name?: string }[];
  };
  const durationSec = Number(probe.format?.duration);
  if (!Number.isFinite(durationSec)) throw new Error(`ffprobe could not read a duration from ${file}`);
  return { durationSec, codec: probe.streams?.[0]?.codec_name ?? '?' };
}

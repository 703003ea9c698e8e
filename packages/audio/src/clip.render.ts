import { runCommand, UnsupportedAudioError } from '@podpreview/shared';
import { FFMPEG_INPUT_FLAGS, refusedDemuxer } from './ffmpeg.input.ts';

export interface ClipOptions {
  startSec: number;
  durationSec: number;
  fadeInSec?: number;
  fadeOutSec?: number;
  /** The mp3's bitrate and LAME's quality setting, 0 (slowest) to 9 (fastest): the defaults are the config's (PODPREVIEW_CLIP_*). */
  bitrateKbps: number;
  encoderQuality: number;
  signal?: AbortSignal;
  /** A normal-priority run's clip: its ffmpeg gives the CPU way to priority work in this process (runCommand's yieldCpu). */
  yieldCpu?: boolean;
}

/**
 * Cuts the preview from the original audio (not the 16 kHz analysis copy) with short fades so
 * it does not start or stop on a click, and encodes it as mp3.
 */
export async function renderClip(sourcePath: string, outPath: string, o: ClipOptions): Promise<void> {
  const fadeIn = o.fadeInSec ?? 0.5;
  const fadeOut = Math.min(o.fadeOutSec ?? 1.5, o.durationSec / 4);
  const filter = `afade=t=in:st=0:d=${fadeIn},afade=t=out:st=${(o.durationSec - fadeOut).toFixed(3)}:d=${fadeOut.toFixed(3)}`;
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-ss',
    o.startSec.toFixed(3),
    '-t',
    o.durationSec.toFixed(3),
    ...FFMPEG_INPUT_FLAGS,
    '-i',
    sourcePath,
    '-vn',
    '-ac',
    '1',
    '-af',
    filter,
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${o.bitrateKbps}k`,
    '-compression_level',
    String(o.encoderQuality),
    outPath,
  ];
  const r = await runCommand('ffmpeg', args, { ...(o.signal ? { signal: o.signal } : {}), ...(o.yieldCpu ? { yieldCpu: true } : {}) });
  const refused = refusedDemuxer(r.stderr);
  if (refused) throw new UnsupportedAudioError(sourcePath, `${refused} is not an audio container`);
  if (r.code !== 0) throw new Error(`rendering clip failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
}

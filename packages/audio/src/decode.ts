import { createHash } from 'node:crypto';
import { bytesToFloat32, CorruptAudioError, EmptyAudioError, InputNotFoundError, runCommand, UnsupportedAudioError } from '@podpreview/shared';

export const SAMPLE_RATE_HZ = 16_000;
/** Shorter than this cannot hold a meaningful preview; treated as empty input. */
export const MIN_DURATION_SEC = 1;

export interface DecodedAudio {
  samples: Float32Array;
  sampleRateHz: number;
  durationSec: number;
  /** sha256 of the decoded PCM: a re-encode of the same audio differs, the same bytes do not. */
  contentHash: string;
}

/**
 * Decodes any container/codec ffmpeg knows (mp3, m4a/aac, ogg/opus, wav, flac…) to 16 kHz mono
 * float32. ffmpeg runs as a child process, so decoding never blocks this process's event loop.
 * `label` names the input in error messages (the URI the user gave, not a temp path).
 */
export async function decodeAudio(localPath: string, label = localPath, o: { signal?: AbortSignal } = {}): Promise<DecodedAudio> {
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    localPath,
    '-map',
    '0:a:0',
    '-vn',
    '-ac',
    '1',
    '-ar',
    String(SAMPLE_RATE_HZ),
    '-f',
    'f32le',
    '-acodec',
    'pcm_f32le',
    'pipe:1',
  ];
  const { stdout, stderr, code, signal } = await runCommand('ffmpeg', args, o);
  if (code !== 0) throw classifyFfmpegFailure(label, stderr, code, signal);
  const samples = bytesToFloat32(stdout);
  const durationSec = samples.length / SAMPLE_RATE_HZ;
  if (durationSec < MIN_DURATION_SEC) throw new EmptyAudioError(label, durationSec);
  const contentHash = createHash('sha256').update(new Uint8Array(samples.buffer)).digest('hex');
  return { samples, sampleRateHz: SAMPLE_RATE_HZ, durationSec, contentHash };
}

/**
 * ffmpeg failing on a local file is deterministic (the bytes are bad), so these are
 * non-retryable; a signal (OOM killer, shutdown) is not about the input and stays retryable.
 */
export function classifyFfmpegFailure(label: string, stderr: string, code: number | null, signal: NodeJS.Signals | null): Error {
  const detail = stderr.trim().split('\n').slice(-3).join(' | ') || `ffmpeg exited with ${code ?? signal}`;
  if (signal) return new Error(`ffmpeg was killed by ${signal} while decoding ${label}`);
  if (/No such file or directory/i.test(stderr)) return new InputNotFoundError(label);
  if (/matches no streams|does not contain any stream|Stream map .* matches no/i.test(stderr)) {
    return new UnsupportedAudioError(label, 'no audio stream');
  }
  if (/Decoder .* not found|Unknown decoder|unsupported codec/i.test(stderr)) return new UnsupportedAudioError(label, detail);
  return new CorruptAudioError(label, detail);
}
